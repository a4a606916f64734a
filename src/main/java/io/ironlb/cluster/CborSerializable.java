package io.ironlb.cluster;

/**
 * Marks messages that cross the cluster; application.conf binds it to Pekko's Jackson CBOR
 * serializer.
 */
public interface CborSerializable {}
