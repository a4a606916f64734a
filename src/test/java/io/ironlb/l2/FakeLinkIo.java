package io.ironlb.l2;

import io.ironlb.l2.link.LinkIo;
import io.ironlb.l2.link.MacAddress;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** A link that records what is sent and lets a test inject received frames. */
final class FakeLinkIo implements LinkIo {
  private final MacAddress mac;
  private volatile Consumer<byte[]> receiver;
  private final List<byte[]> sent = new ArrayList<>();
  private final List<Long> sentAt = new ArrayList<>();
  private final Set<Inet6Address> groups = new HashSet<>();

  FakeLinkIo(MacAddress mac) {
    this.mac = mac;
  }

  @Override
  public String name() {
    return "fake0";
  }

  @Override
  public MacAddress mac() {
    return mac;
  }

  @Override
  public void start(Consumer<byte[]> receiver) {
    this.receiver = receiver;
  }

  boolean started() {
    return receiver != null;
  }

  void inject(byte[] frame) {
    receiver.accept(frame.clone());
  }

  @Override
  public synchronized void send(byte[] frame) {
    sent.add(frame.clone());
    sentAt.add(System.nanoTime());
  }

  synchronized List<byte[]> sent() {
    return List.copyOf(sent);
  }

  synchronized List<Long> sentAt() {
    return List.copyOf(sentAt);
  }

  @Override
  public synchronized void join(Inet6Address group) {
    groups.add(group);
  }

  @Override
  public synchronized void leave(Inet6Address group) {
    groups.remove(group);
  }

  synchronized Set<Inet6Address> groups() {
    return Set.copyOf(groups);
  }

  @Override
  public void close() {}
}
