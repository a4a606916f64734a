package io.ironlb.l2.link;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Set;

/**
 * The host's own IP stack, for {@code --local-vips}: the owner of an address installs it so that
 * its kernel accepts traffic sent to it, and removes it when the address moves. The port keeps
 * {@code ip} invocations out of the actors; a call blocks and runs on a thread of its own, and
 * takes any number of addresses at once, so a mass failover costs one call, not one per address.
 */
public interface KernelAddresses {

  /**
   * Makes the kernel accept packets for every address of {@code install} (without answering ARP/NDP
   * for them) and no longer for those of {@code remove}.
   */
  void apply(Set<InetAddress> install, Set<InetAddress> remove) throws IOException;
}
