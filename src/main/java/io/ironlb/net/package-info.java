/**
 * The network plumbing both routing protocols share: one Netty event loop per actor system (native
 * epoll where available) and the Linux socket options Netty does not name. Imports nothing else of
 * IronLB.
 */
package io.ironlb.net;
