/** ARP (RFC 826) over Ethernet: the frames IronLB answers and the gratuitous ones it sends. */
package io.ironlb.l2.arp;
