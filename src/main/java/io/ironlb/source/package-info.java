/**
 * Where IronLB's view of the world comes from: one Pekko Streams source of {@link
 * io.ironlb.source.Snapshot}s, from Kubernetes informers ({@code kubernetes}) or a watched
 * directory of YAML ({@code files}), with invalid configuration held back by {@link
 * io.ironlb.source.ConfigGate}. Input only: results go back out through ports the consumers own
 * ({@link io.ironlb.ipam.StatusWriter}, {@link io.ironlb.source.AnnouncementWriter}), implemented
 * by the Kubernetes adapter.
 */
package io.ironlb.source;
