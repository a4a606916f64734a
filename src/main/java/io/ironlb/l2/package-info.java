/**
 * Layer-2 announcement: which node answers ARP/NDP for each address. Pure decisions: the ranking
 * ({@link io.ironlb.l2.Election}), a VIP entity's state ({@link io.ironlb.l2.VipState}), the fence
 * ({@link io.ironlb.l2.Fence}: what the split-brain resolver will decide) and the codecs ({@code
 * arp}, {@code ndp}). Actors: the VIP entities (Cluster Sharding), one {@link
 * io.ironlb.l2.Announcer} per node and one {@link io.ironlb.l2.LinkResponder} per interface, fed by
 * the {@link io.ironlb.l2.Speaker}.
 */
package io.ironlb.l2;
