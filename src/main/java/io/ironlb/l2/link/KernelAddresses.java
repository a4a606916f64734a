package io.ironlb.l2.link;

import java.net.InetAddress;

/**
 * The host's own IP stack, for {@code --local-vips}: the owner of an address installs it so that
 * its kernel accepts traffic sent to it, and removes it when the address moves. The port keeps
 * {@code ip} invocations out of the actors; calls block and run on a thread of their own.
 */
public interface KernelAddresses {

  /** Makes the kernel accept packets for {@code vip} without answering ARP/NDP for it. */
  void install(InetAddress vip) throws java.io.IOException;

  void remove(InetAddress vip) throws java.io.IOException;
}
