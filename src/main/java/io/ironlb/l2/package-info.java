/**
 * Layer-2 announcement: which node answers ARP/NDP for each address. Pure decisions: the ranking
 * ({@link io.ironlb.l2.Election}), one address's state and its planned moves ({@link
 * io.ironlb.l2.VipState}), a VIP entity's group of them ({@code VipGroup}), the fence ({@link
 * io.ironlb.l2.Fence}: what the split-brain resolver will decide) and each node's reports ({@link
 * io.ironlb.l2.L2Reports}). Actors: the VIP entities (Cluster Sharding, one per group of
 * addresses), and per node the {@link io.ironlb.l2.Speaker} (fed by {@code node.NodeFeed}), its
 * {@link io.ironlb.l2.Announcer} and one {@link io.ironlb.l2.LinkResponder} per interface. The link
 * and its codecs are {@code link}, {@code arp} and {@code ndp}.
 */
package io.ironlb.l2;
