package io.ironlb.l2;

import java.util.Set;

/** What the Announcer asks of the link layer (the LinkResponders of its node). */
public sealed interface LinkCommand {

  /**
   * Start answering ARP/NDP for the address and announce it with gratuitous ARP / unsolicited NA.
   *
   * @param interfaces where; empty means every eligible interface
   */
  record Announce(String vip, Set<String> interfaces) implements LinkCommand {}

  /** Stop answering for the address. */
  record Withdraw(String vip) implements LinkCommand {}
}
