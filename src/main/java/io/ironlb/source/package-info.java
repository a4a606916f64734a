/**
 * Where IronLB's view of the world comes from: one Pekko Streams source of {@link
 * io.ironlb.source.Snapshot}s, from Kubernetes informers ({@code kubernetes}) or a watched
 * directory of YAML ({@code files}), with invalid configuration held back by {@link
 * io.ironlb.source.ConfigGate}; and the {@link io.ironlb.source.StatusWriter} port through which
 * results go back out.
 */
package io.ironlb.source;
