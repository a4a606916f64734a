package io.ironlb.multijvm;

import java.time.Instant;
import java.util.function.BiConsumer;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/**
 * A benchmark client's capture: every frame matching a filter, with the kernel's receive time, into
 * a 64 MiB buffer. A client JVM starved of CPU (on two cores shared with three nodes) reads frames
 * late; timing them by when the program saw them, or losing them to a full buffer, would charge its
 * own slowness to IronLB.
 */
final class TimedCapture implements AutoCloseable {
  private final PcapHandle handle;
  private final Thread reader;
  private volatile boolean running = true;

  /** Starts capturing; {@code sink} gets each frame and its kernel time (System.nanoTime scale). */
  TimedCapture(String ifName, String filter, BiConsumer<byte[], Long> sink) throws Exception {
    PcapNetworkInterface dev = Pcaps.getDevByName(ifName);
    handle =
        new PcapHandle.Builder(dev.getName())
            .snaplen(128)
            .bufferSize(64 << 20)
            .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
            .immediateMode(true)
            .timeoutMillis(100)
            .build();
    handle.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
    // The kernel stamps wall-clock time; the benchmarks compare with System.nanoTime.
    Instant wall = Instant.now();
    long offset = System.nanoTime() - (wall.getEpochSecond() * 1_000_000_000L + wall.getNano());
    reader =
        new Thread(
            () -> {
              while (running) {
                try {
                  byte[] frame = handle.getNextRawPacket();
                  if (frame != null) {
                    java.sql.Timestamp ts = handle.getTimestamp();
                    long epochNanos = ts.getTime() / 1000 * 1_000_000_000L + ts.getNanos();
                    sink.accept(frame, epochNanos + offset);
                  }
                } catch (NotOpenException e) {
                  return;
                }
              }
            },
            "timed-capture");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public void close() {
    running = false;
    try {
      handle.breakLoop();
    } catch (NotOpenException e) {
      // already closed
    }
    try {
      reader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    handle.close();
  }
}
