/**
 * The Pekko cluster: roles ({@code speaker}, {@code controller}), serialization of the messages
 * that cross it, and (with the layer-2 work) bootstrap, the split-brain resolver, the membership
 * view and the fence.
 */
package io.ironlb.cluster;
