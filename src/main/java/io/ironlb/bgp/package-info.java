/**
 * BGP mode: the native speaker. {@link io.ironlb.bgp.BgpSupervisor} runs one {@link
 * io.ironlb.bgp.PeerSession} (RFC 4271 FSM over Netty) per BGPPeer that selects the node, restarts
 * a crashed one, and tells each what to announce ({@link io.ironlb.bgp.AdvertisementPlanner},
 * pure); each session diffs its Adj-RIB-Out ({@link io.ironlb.bgp.AdjRibOut}) into packed UPDATEs.
 * The wire codec is {@code wire}, BFD is {@code bfd}.
 */
package io.ironlb.bgp;
