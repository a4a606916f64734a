/**
 * Layer-2 announcement: which node answers ARP/NDP for each address. Pure decisions (the {@link
 * io.ironlb.l2.Election}) first; the VIP entities, Announcer, LinkResponder and the ARP/NDP codecs
 * join them with the layer-2 work.
 */
package io.ironlb.l2;
