/**
 * The link layer behind a port: {@link io.ironlb.l2.link.LinkIo} and its libpcap implementation.
 */
package io.ironlb.l2.link;
