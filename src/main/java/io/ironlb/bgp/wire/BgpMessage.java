package io.ironlb.bgp.wire;

import java.net.Inet4Address;
import java.util.List;

/** The five BGP messages (RFC 4271 §4, RFC 2918). */
public sealed interface BgpMessage {

  /** The message type octet of the common header. */
  int type();

  int OPEN = 1;
  int UPDATE = 2;
  int NOTIFICATION = 3;
  int KEEPALIVE = 4;
  int ROUTE_REFRESH = 5;

  /**
   * RFC 4271 §4.2.
   *
   * @param myAs the 2-octet "My Autonomous System" field: AS_TRANS (23456) when the real number
   *     needs four octets (RFC 6793 §4.1); the real one is in the {@link Capability.FourOctetAs}
   * @param holdTime seconds; 0 or at least 3
   */
  record Open(
      int version, int myAs, int holdTime, Inet4Address bgpId, List<Capability> capabilities)
      implements BgpMessage {
    public Open {
      capabilities = List.copyOf(capabilities);
    }

    @Override
    public int type() {
      return OPEN;
    }

    /** The speaker's AS: from the 4-octet AS capability when present, else the 2-octet field. */
    public long asn() {
      return capabilities.stream()
          .filter(Capability.FourOctetAs.class::isInstance)
          .map(c -> ((Capability.FourOctetAs) c).asn())
          .findFirst()
          .orElse((long) myAs);
    }

    public boolean has(Class<? extends Capability> kind) {
      return capabilities.stream().anyMatch(kind::isInstance);
    }
  }

  /**
   * RFC 4271 §4.3. IPv6 routes travel in {@link PathAttribute.MpReach}/{@link
   * PathAttribute.MpUnreach}.
   *
   * @param treatAsWithdraw null for a well-formed UPDATE; else why its routes must be treated as
   *     withdrawn (RFC 7606) — the session stays up
   */
  record Update(
      List<IpPrefix> withdrawn,
      List<PathAttribute> attributes,
      List<IpPrefix> nlri,
      String treatAsWithdraw)
      implements BgpMessage {
    public Update {
      withdrawn = List.copyOf(withdrawn);
      attributes = List.copyOf(attributes);
      nlri = List.copyOf(nlri);
    }

    public Update(List<IpPrefix> withdrawn, List<PathAttribute> attributes, List<IpPrefix> nlri) {
      this(withdrawn, attributes, nlri, null);
    }

    @Override
    public int type() {
      return UPDATE;
    }

    /** The first attribute of a kind, or null. */
    public <A extends PathAttribute> A attribute(Class<A> kind) {
      return attributes.stream().filter(kind::isInstance).map(kind::cast).findFirst().orElse(null);
    }

    /**
     * An End-of-RIB marker (RFC 4724 §2): an empty UPDATE for IPv4 unicast, or one carrying only an
     * empty MP_UNREACH_NLRI for another family.
     */
    public boolean isEndOfRib() {
      if (!withdrawn.isEmpty() || !nlri.isEmpty()) {
        return false;
      }
      if (attributes.isEmpty()) {
        return true;
      }
      return attributes.size() == 1
          && attributes.get(0) instanceof PathAttribute.MpUnreach u
          && u.withdrawn().isEmpty();
    }
  }

  /** RFC 4271 §4.5. */
  record Notification(int code, int subcode, Octets data) implements BgpMessage {
    public Notification(int code, int subcode, byte[] data) {
      this(code, subcode, Octets.copyOf(data));
    }

    public Notification(NotificationCode c) {
      this(c.code(), c.subcode(), Octets.EMPTY);
    }

    public Notification(NotificationCode c, byte[] data) {
      this(c.code(), c.subcode(), data);
    }

    @Override
    public int type() {
      return NOTIFICATION;
    }

    @Override
    public String toString() {
      return NotificationCode.describe(code, subcode) + (data.length() == 0 ? "" : " data=" + data);
    }
  }

  /** RFC 4271 §4.4. */
  record Keepalive() implements BgpMessage {
    @Override
    public int type() {
      return KEEPALIVE;
    }
  }

  /** RFC 2918 §3: ask the peer to resend its Adj-RIB-Out for one family. */
  record RouteRefresh(int afi, int safi) implements BgpMessage {
    @Override
    public int type() {
      return ROUTE_REFRESH;
    }
  }
}
