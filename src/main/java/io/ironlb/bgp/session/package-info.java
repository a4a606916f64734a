/**
 * The pieces of a BGP session that need no actor: the OPEN negotiation ({@link
 * io.ironlb.bgp.session.OpenNegotiation}), table-tested on its own. The session actor ({@code
 * bgp.PeerSession}) drives them.
 */
package io.ironlb.bgp.session;
