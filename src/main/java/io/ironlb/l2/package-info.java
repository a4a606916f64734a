/**
 * Layer-2 announcement: which node answers ARP/NDP for each address. Pure decisions first: the
 * {@link io.ironlb.l2.Election} and the ARP/NDP codecs ({@code arp}, {@code ndp}); the VIP
 * entities, Announcer and LinkResponder join them with the rest of the layer-2 work.
 */
package io.ironlb.l2;
