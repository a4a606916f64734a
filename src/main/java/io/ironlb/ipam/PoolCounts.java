package io.ironlb.ipam;

/** An IPAddressPool's status: assigned and still available addresses per family. */
public record PoolCounts(
    String pool, long assignedIPv4, long assignedIPv6, long availableIPv4, long availableIPv6) {}
