package io.ironlb.source;

import io.ironlb.config.ServiceKey;
import java.util.List;
import java.util.Map;

/**
 * What a speaker tells the cluster about its announcements: one ServiceL2Status or ServiceBGPStatus
 * object per Service it announces, and a {@code nodeAssigned} event when it starts announcing one
 * (MetalLB's speaker does both). Calls never block; the writer may skip intermediate states, the
 * last call always wins.
 */
public interface AnnouncementWriter {

  /**
   * This node announces exactly these Services now (Service → interfaces it answers on); status
   * objects for anything else of this node's are deleted, and other nodes' objects for these
   * Services (left by a node that died) too.
   */
  void announcing(String node, Map<ServiceKey, List<String>> services);

  /**
   * This node announces exactly these Services over BGP now (Service → the BGPPeers it is announced
   * to): one ServiceBGPStatus each, the same way as {@link #announcing}.
   */
  void announcingBgp(String node, Map<ServiceKey, List<String>> peers);

  /** Records a {@code nodeAssigned} event: this node started announcing the Service. */
  void nodeAssigned(ServiceKey service, String node);

  /** Standalone mode: the status API is the only record. */
  AnnouncementWriter NONE =
      new AnnouncementWriter() {
        @Override
        public void announcing(String node, Map<ServiceKey, List<String>> services) {}

        @Override
        public void announcingBgp(String node, Map<ServiceKey, List<String>> peers) {}

        @Override
        public void nodeAssigned(ServiceKey service, String node) {}
      };
}
