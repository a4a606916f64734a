/**
 * Cluster-wide settings shared by every role: the serialization binding of the messages that cross
 * the cluster ({@link io.ironlb.cluster.CborSerializable}) and the shard allocation that never
 * moves a VIP entity to a node that joins ({@link io.ironlb.cluster.StayPutAllocation}). The
 * membership view and the fence live with their user, in {@code l2}.
 */
package io.ironlb.cluster;
