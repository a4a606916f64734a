/**
 * Cluster-wide settings shared by every role: the serialization binding of the messages that cross
 * the cluster ({@link io.ironlb.cluster.CborSerializable}), the shard allocation that never moves a
 * VIP entity to a node that joins ({@link io.ironlb.cluster.StayPutAllocation}), the failure
 * detector that is patient with a node that just started ({@link
 * io.ironlb.cluster.PatientWhileStartingFailureDetector}), and how long a node the cluster keeps
 * downing waits before it joins again ({@link io.ironlb.cluster.RejoinBackoff}). The membership
 * view and the fence live with their user, in {@code l2}.
 */
package io.ironlb.cluster;
