package io.ironlb.l2;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which addresses a responder announces (gratuitous ARP, unsolicited NA) in each tick, without the
 * actor or the clock: every acquired address gets {@code bursts} announcements, {@code
 * intervalTicks} apart, and a tick spends at most {@code framesPerTick} frames (two per IPv4
 * address: request and reply forms; one per IPv6 address). First announcements go before any repeat
 * — after a mass failover a client waiting for an address that just moved matters more than a
 * refresh of one that moved a second ago — and each kind goes in the order acquired. Work per tick
 * is proportional to what it sends, not to how many addresses are owned.
 */
final class AnnouncementPacer {
  private final int bursts;
  private final long intervalTicks;
  private final int framesPerTick;

  /** Addresses acquired whose first announcement has not gone out yet, in the order acquired. */
  private final Deque<Entry> first = new ArrayDeque<>();

  /**
   * Repeats in the order they fall due: each is one interval after the previous burst, so appending
   * keeps the queue sorted and a tick looks only at its head.
   */
  private final Deque<Repeat> repeats = new ArrayDeque<>();

  /**
   * Each owned address's acquisition number: entries queued for an earlier ownership (an address
   * released and acquired again) are skipped.
   */
  private final Map<InetAddress, Integer> acquisition = new HashMap<>();

  private int acquisitions;
  private long tick;

  private record Entry(InetAddress vip, int acquisition) {}

  private record Repeat(InetAddress vip, int acquisition, int left, long due) {}

  AnnouncementPacer(int bursts, long intervalTicks, int framesPerTick) {
    if (bursts < 1 || intervalTicks < 1 || framesPerTick < 2) {
      throw new IllegalArgumentException("bursts >= 1, interval >= 1 tick, >= 2 frames per tick");
    }
    this.bursts = bursts;
    this.intervalTicks = intervalTicks;
    this.framesPerTick = framesPerTick;
  }

  /** Starts announcing an address (again, from its first burst, if it was released). */
  void acquire(InetAddress vip) {
    int n = ++acquisitions;
    acquisition.put(vip, n);
    first.add(new Entry(vip, n));
  }

  /** Stops announcing an address: whatever is queued for it is skipped. */
  void release(InetAddress vip) {
    acquisition.remove(vip);
  }

  /** The addresses to announce in this tick, in order; then the clock moves one tick on. */
  List<InetAddress> tick() {
    List<InetAddress> now = new ArrayList<>();
    int budget = framesPerTick;
    while (!first.isEmpty() && frames(first.peek().vip()) <= budget) {
      Entry e = first.poll();
      if (current(e.vip(), e.acquisition())) {
        now.add(e.vip());
        budget -= frames(e.vip());
        next(e.vip(), e.acquisition(), bursts - 1);
      }
    }
    while (!repeats.isEmpty()
        && repeats.peek().due() <= tick
        && frames(repeats.peek().vip()) <= budget) {
      Repeat r = repeats.poll();
      if (current(r.vip(), r.acquisition())) {
        now.add(r.vip());
        budget -= frames(r.vip());
        next(r.vip(), r.acquisition(), r.left() - 1);
      }
    }
    tick++;
    return now;
  }

  /** Nothing queued: the caller may stop ticking until the next acquire. */
  boolean idle() {
    return first.isEmpty() && repeats.isEmpty();
  }

  private void next(InetAddress vip, int acquisition, int left) {
    if (left > 0) {
      repeats.add(new Repeat(vip, acquisition, left, tick + intervalTicks));
    } else if (this.acquisition.get(vip) == acquisition) {
      this.acquisition.remove(vip); // done: the map holds only addresses with bursts to come
    }
  }

  private boolean current(InetAddress vip, int acquisition) {
    Integer now = this.acquisition.get(vip);
    return now != null && now == acquisition;
  }

  /** Frames per announcement: request and reply forms for ARP, one advertisement for NDP. */
  static int frames(InetAddress vip) {
    return vip instanceof Inet4Address ? 2 : 1;
  }
}
