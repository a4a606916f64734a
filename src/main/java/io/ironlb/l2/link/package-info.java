/**
 * The link layer behind a port: {@link io.ironlb.l2.link.LinkIo} and its libpcap implementation,
 * MAC addresses and the big-endian field access the ARP and NDP codecs share. Imports nothing else
 * of IronLB.
 */
package io.ironlb.l2.link;
