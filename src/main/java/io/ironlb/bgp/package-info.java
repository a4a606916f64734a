/**
 * BGP mode: the native speaker. {@link io.ironlb.bgp.BgpSupervisor} runs one {@link
 * io.ironlb.bgp.PeerSession} (the RFC 4271 FSM) per BGPPeer that selects the node, restarts a
 * crashed one, and tells each what to announce ({@link io.ironlb.bgp.AdvertisementPlanner}, pure);
 * each session turns that into routes ({@link io.ironlb.bgp.OutboundRoutes} with its {@link
 * io.ironlb.bgp.NextHops}, pure) and diffs its Adj-RIB-Out ({@link io.ironlb.bgp.AdjRibOut}) into
 * packed UPDATEs. An unnumbered peer's session finds its router with {@link
 * io.ironlb.bgp.RouterDiscovery} (Router Advertisements, over the {@code l2.link} port). What a
 * session needs no actor for is {@code session} (OPEN negotiation, the connector); the wire codecs
 * are {@code wire}, BFD is {@code bfd}.
 */
package io.ironlb.bgp;
