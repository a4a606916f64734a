package io.ironlb.bgp.wire;

import io.ironlb.bgp.wire.BgpMessage.Keepalive;
import io.ironlb.bgp.wire.BgpMessage.Notification;
import io.ironlb.bgp.wire.BgpMessage.Open;
import io.ironlb.bgp.wire.BgpMessage.RouteRefresh;
import io.ironlb.bgp.wire.BgpMessage.Update;
import io.ironlb.bgp.wire.PathAttribute.Segment;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Encodes and decodes whole BGP messages (common header included), without I/O. Decoding checks
 * everything RFC 4271 §6 asks of a receiver that the message alone can tell — the session checks
 * the rest (peer AS, hold time against its configuration) — and applies RFC 7606: an attribute
 * error that leaves the message's structure intact marks the UPDATE treat-as-withdraw instead of
 * resetting the session.
 */
public final class BgpCodec {
  private BgpCodec() {}

  public static final int HEADER_LENGTH = 19;
  public static final int MAX_LENGTH = 4096;
  public static final int VERSION = 4;

  /** RFC 6793 §9: the 2-octet stand-in for a 4-octet AS number. */
  public static final int AS_TRANS = 23456;

  /**
   * What the two ends agreed on in their OPENs that changes the encoding.
   *
   * @param fourOctetAs both advertised the 4-octet AS capability: AS_PATH carries 4-octet ASNs
   */
  public record Options(boolean fourOctetAs, boolean extendedMessages) {
    public static final Options BEFORE_OPEN = new Options(false, false);

    public Options(boolean fourOctetAs) {
      this(fourOctetAs, false);
    }

    /**
     * The largest message of a type: 65,535 bytes once both ends offered Extended Message (RFC
     * 8654), except OPEN and KEEPALIVE, which stay within 4,096.
     */
    public int maxLength(int type) {
      return extendedMessages && type != BgpMessage.OPEN && type != BgpMessage.KEEPALIVE
          ? MAX_EXTENDED_LENGTH
          : MAX_LENGTH;
    }
  }

  /** RFC 8654. */
  public static final int MAX_EXTENDED_LENGTH = 65535;

  private static final int OPTIONAL = 0x80;
  private static final int TRANSITIVE = 0x40;
  private static final int PARTIAL = 0x20;
  private static final int EXTENDED_LENGTH = 0x10;

  // ---------------------------------------------------------------- header

  /**
   * Checks a common header (the first 19 bytes) and returns the message's total length. RFC 4271
   * §6.1.
   */
  public static int checkHeader(byte[] h, int offset) throws BgpProtocolException {
    return checkHeader(h, offset, Options.BEFORE_OPEN);
  }

  /** As {@link #checkHeader(byte[], int)}, with the session's limits. */
  public static int checkHeader(byte[] h, int offset, Options options) throws BgpProtocolException {
    for (int i = 0; i < 16; i++) {
      if (h[offset + i] != (byte) 0xFF) {
        throw new BgpProtocolException(
            NotificationCode.HEADER_CONNECTION_NOT_SYNCHRONIZED, "marker is not all ones");
      }
    }
    int length = ((h[offset + 16] & 0xFF) << 8) | (h[offset + 17] & 0xFF);
    int type = h[offset + 18] & 0xFF;
    if (type < BgpMessage.OPEN || type > BgpMessage.ROUTE_REFRESH) {
      throw new BgpProtocolException(
          NotificationCode.HEADER_BAD_MESSAGE_TYPE, new byte[] {(byte) type}, "type " + type);
    }
    int min =
        switch (type) {
          case BgpMessage.OPEN -> 29;
          case BgpMessage.UPDATE -> 23;
          case BgpMessage.NOTIFICATION -> 21;
          case BgpMessage.ROUTE_REFRESH -> 23;
          default -> HEADER_LENGTH;
        };
    boolean fixed = type == BgpMessage.KEEPALIVE || type == BgpMessage.ROUTE_REFRESH;
    int max = options.maxLength(type);
    if (type == BgpMessage.ROUTE_REFRESH && length >= HEADER_LENGTH && length <= max) {
      return length; // a wrong length has its own code, with the whole message: see decode
    }
    if (length < min || length > max || (fixed && length != min)) {
      throw new BgpProtocolException(
          NotificationCode.HEADER_BAD_MESSAGE_LENGTH,
          new byte[] {h[offset + 16], h[offset + 17]},
          "length " + length + " for type " + type);
    }
    return length;
  }

  // ---------------------------------------------------------------- decode

  /** Decodes one whole message (header included). */
  public static BgpMessage decode(byte[] message, Options options) throws BgpProtocolException {
    if (message.length < HEADER_LENGTH) {
      throw new BgpProtocolException(
          NotificationCode.HEADER_BAD_MESSAGE_LENGTH, "only " + message.length + " bytes");
    }
    int length = checkHeader(message, 0, options);
    if (length != message.length) {
      throw new BgpProtocolException(
          NotificationCode.HEADER_BAD_MESSAGE_LENGTH,
          new byte[] {message[16], message[17]},
          "header says " + length + ", got " + message.length);
    }
    Reader r = new Reader(message, HEADER_LENGTH, length);
    int type = message[18];
    if (type == BgpMessage.ROUTE_REFRESH && length != 23) {
      // RFC 7313 §5: its own code, and the complete message as data.
      throw new BgpProtocolException(
          NotificationCode.ROUTE_REFRESH_INVALID_LENGTH, message, "ROUTE-REFRESH of " + length);
    }
    try {
      return switch (type) {
        case BgpMessage.OPEN -> decodeOpen(r);
        case BgpMessage.UPDATE -> decodeUpdate(r, options);
        case BgpMessage.NOTIFICATION -> new Notification(r.u8(), r.u8(), r.rest());
        case BgpMessage.KEEPALIVE -> new Keepalive();
        default -> decodeRouteRefresh(r);
      };
    } catch (Truncated e) {
      throw new BgpProtocolException(
          type == BgpMessage.OPEN
              ? NotificationCode.OPEN_UNSPECIFIC
              : NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST,
          "a field overruns the message");
    }
  }

  private static RouteRefresh decodeRouteRefresh(Reader r) throws BgpProtocolException {
    int afi = r.u16();
    r.u8(); // reserved (RFC 7313: message subtype; 0 is a plain refresh)
    return new RouteRefresh(afi, r.u8());
  }

  private static Open decodeOpen(Reader r) throws BgpProtocolException {
    int version = r.u8();
    if (version != VERSION) {
      // The data is the largest version we support (RFC 4271 §6.2).
      throw new BgpProtocolException(
          NotificationCode.OPEN_UNSUPPORTED_VERSION, new byte[] {0, VERSION}, "version " + version);
    }
    int myAs = r.u16();
    int hold = r.u16();
    if (hold == 1 || hold == 2) {
      throw new BgpProtocolException(
          NotificationCode.OPEN_UNACCEPTABLE_HOLD_TIME, "hold time " + hold + " s");
    }
    byte[] id = r.bytes(4);
    Inet4Address bgpId = (Inet4Address) address(id);
    if (Arrays.equals(id, new byte[4]) || bgpId.isMulticastAddress()) {
      throw new BgpProtocolException(
          NotificationCode.OPEN_BAD_BGP_IDENTIFIER, "BGP identifier " + bgpId.getHostAddress());
    }
    int optLength = r.u8();
    if (optLength != r.remaining()) {
      throw new BgpProtocolException(
          NotificationCode.OPEN_UNSPECIFIC,
          "optional parameters length " + optLength + ", " + r.remaining() + " bytes follow");
    }
    List<Capability> caps = new ArrayList<>();
    while (r.remaining() > 0) {
      int type = r.u8();
      int len = r.u8();
      if (len > r.remaining()) {
        throw new BgpProtocolException(
            NotificationCode.OPEN_UNSPECIFIC, "optional parameter overruns the message");
      }
      Reader p = r.sub(len);
      if (type != 2) { // RFC 5492: 2 is Capabilities; RFC 4271's authentication (1) is gone
        throw new BgpProtocolException(
            NotificationCode.OPEN_UNSUPPORTED_OPTIONAL_PARAMETER, "optional parameter " + type);
      }
      while (p.remaining() > 0) {
        caps.add(decodeCapability(p));
      }
    }
    return new Open(version, myAs, hold, bgpId, caps);
  }

  private static Capability decodeCapability(Reader p) throws BgpProtocolException {
    int code = p.u8();
    int len = p.u8();
    if (len > p.remaining()) {
      throw new BgpProtocolException(
          NotificationCode.OPEN_UNSPECIFIC, "capability " + code + " overruns its parameter");
    }
    Reader c = p.sub(len);
    switch (code) {
      case 1:
        if (len == 4) {
          int afi = c.u16();
          c.u8();
          return new Capability.Multiprotocol(afi, c.u8());
        }
        break;
      case 2:
        if (len == 0) {
          return new Capability.RouteRefresh();
        }
        break;
      case 64:
        if (len >= 2 && (len - 2) % 4 == 0) {
          int head = c.u16();
          List<Capability.GracefulRestartFamily> fams = new ArrayList<>();
          while (c.remaining() > 0) {
            int afi = c.u16();
            int safi = c.u8();
            fams.add(new Capability.GracefulRestartFamily(afi, safi, (c.u8() & 0x80) != 0));
          }
          return new Capability.GracefulRestart((head & 0x8000) != 0, head & 0x0FFF, fams);
        }
        break;
      case 65:
        if (len == 4) {
          return new Capability.FourOctetAs(c.u32());
        }
        break;
      case 6:
        if (len == 0) {
          return new Capability.ExtendedMessage();
        }
        break;
      default:
        return new Capability.Unknown(code, c.rest());
    }
    throw new BgpProtocolException(
        NotificationCode.OPEN_UNSPECIFIC, "capability " + code + " with length " + len);
  }

  private static Update decodeUpdate(Reader r, Options options) throws BgpProtocolException {
    int withdrawnLength = r.u16();
    if (withdrawnLength > r.remaining() - 2) {
      throw new BgpProtocolException(
          NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST,
          "withdrawn routes length " + withdrawnLength + " overruns the message");
    }
    List<IpPrefix> withdrawn = prefixes(r.sub(withdrawnLength), false);
    int attributesLength = r.u16();
    if (attributesLength > r.remaining()) {
      throw new BgpProtocolException(
          NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST,
          "path attributes length " + attributesLength + " overruns the message");
    }
    Reader a = r.sub(attributesLength);
    List<IpPrefix> nlri = prefixes(r, false);
    List<PathAttribute> attributes = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    String withdraw = null;
    while (a.remaining() > 0) {
      if (a.remaining() < 3) {
        throw new BgpProtocolException(
            NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, "truncated attribute header");
      }
      int flags = a.u8();
      int type = a.u8();
      boolean extended = (flags & EXTENDED_LENGTH) != 0;
      if (extended && a.remaining() < 2) {
        throw new BgpProtocolException(
            NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, "truncated attribute header");
      }
      int len = extended ? a.u16() : a.u8();
      if (len > a.remaining()) {
        // RFC 7606 §4: the attribute list can no longer be parsed.
        throw new BgpProtocolException(
            NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST,
            "attribute " + type + " of length " + len + " overruns the list");
      }
      Reader v = a.sub(len);
      boolean mp = type == PathAttribute.MP_REACH_NLRI || type == PathAttribute.MP_UNREACH_NLRI;
      if (!seen.add(type)) {
        if (mp) { // RFC 7606 §3 (g)
          throw new BgpProtocolException(
              NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, "repeated attribute " + type);
        }
        continue; // RFC 7606 §3 (g): discard all but the first
      }
      try {
        PathAttribute attr = decodeAttribute(flags, type, v, options);
        if (attr != null) {
          attributes.add(attr);
        }
      } catch (AttributeError e) {
        if (mp) { // RFC 7606 §5.3/§7.11: without AFI/SAFI disable, a session reset
          throw new BgpProtocolException(
              NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE, e.getMessage());
        }
        if (e.discardOnly) {
          continue; // RFC 7606 "attribute discard"
        }
        withdraw = withdraw == null ? e.getMessage() : withdraw;
      }
    }
    boolean reach = !nlri.isEmpty() || seen.contains(PathAttribute.MP_REACH_NLRI);
    if (withdraw == null && reach) {
      // RFC 7606 §3 (d): a missing well-known mandatory attribute is treat-as-withdraw.
      if (!seen.contains(PathAttribute.ORIGIN)) {
        withdraw = "missing ORIGIN";
      } else if (!seen.contains(PathAttribute.AS_PATH)) {
        withdraw = "missing AS_PATH";
      } else if (!nlri.isEmpty() && !seen.contains(PathAttribute.NEXT_HOP)) {
        withdraw = "missing NEXT_HOP";
      }
    }
    return new Update(withdrawn, attributes, nlri, withdraw);
  }

  /** An attribute error that RFC 7606 handles below the session: treat-as-withdraw or discard. */
  private static final class AttributeError extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean discardOnly;

    AttributeError(String message, boolean discardOnly) {
      super(message, null, false, false);
      this.discardOnly = discardOnly;
    }
  }

  private static PathAttribute decodeAttribute(int flags, int type, Reader v, Options options)
      throws AttributeError, BgpProtocolException {
    int len = v.remaining();
    boolean optional = (flags & OPTIONAL) != 0;
    try {
      switch (type) {
        case PathAttribute.ORIGIN:
          wellKnown(flags, type);
          exact(len, 1, "ORIGIN");
          int origin = v.u8();
          if (origin > 2) {
            throw new AttributeError("invalid ORIGIN " + origin, false);
          }
          return new PathAttribute.Origin(origin);
        case PathAttribute.AS_PATH:
          wellKnown(flags, type);
          return new PathAttribute.AsPath(segments(v, options.fourOctetAs()), false);
        case PathAttribute.AS4_PATH:
          try {
            return new PathAttribute.AsPath(segments(v, true), true);
          } catch (AttributeError e) {
            throw new AttributeError(e.getMessage(), true); // RFC 6793 §6: discard
          }
        case PathAttribute.NEXT_HOP:
          wellKnown(flags, type);
          exact(len, 4, "NEXT_HOP");
          return new PathAttribute.NextHop((Inet4Address) address(v.bytes(4)));
        case PathAttribute.MULTI_EXIT_DISC:
          exact(len, 4, "MULTI_EXIT_DISC");
          return new PathAttribute.MultiExitDisc(v.u32());
        case PathAttribute.LOCAL_PREF:
          exact(len, 4, "LOCAL_PREF");
          return new PathAttribute.LocalPref(v.u32());
        case PathAttribute.ATOMIC_AGGREGATE:
          if (len != 0) {
            throw new AttributeError("ATOMIC_AGGREGATE of length " + len, true);
          }
          return new PathAttribute.AtomicAggregate();
        case PathAttribute.AGGREGATOR:
        case PathAttribute.AS4_AGGREGATOR:
          boolean as4 = type == PathAttribute.AS4_AGGREGATOR || options.fourOctetAs();
          if (len != (as4 ? 8 : 6)) {
            throw new AttributeError("AGGREGATOR of length " + len, true);
          }
          long asn = as4 ? v.u32() : v.u16();
          return new PathAttribute.Aggregator(
              asn, (Inet4Address) address(v.bytes(4)), type == PathAttribute.AS4_AGGREGATOR);
        case PathAttribute.COMMUNITIES:
          if (len == 0 || len % 4 != 0) {
            throw new AttributeError("COMMUNITIES of length " + len, false);
          }
          List<Long> cs = new ArrayList<>();
          while (v.remaining() > 0) {
            cs.add(v.u32());
          }
          return new PathAttribute.Communities(cs);
        case PathAttribute.LARGE_COMMUNITY:
          if (len == 0 || len % 12 != 0) {
            throw new AttributeError("LARGE_COMMUNITY of length " + len, false);
          }
          List<PathAttribute.LargeCommunity> lcs = new ArrayList<>();
          while (v.remaining() > 0) {
            lcs.add(new PathAttribute.LargeCommunity(v.u32(), v.u32(), v.u32()));
          }
          return new PathAttribute.LargeCommunities(lcs);
        case PathAttribute.MP_REACH_NLRI:
          return mpReach(v);
        case PathAttribute.MP_UNREACH_NLRI:
          int afi = v.u16();
          int safi = v.u8();
          return new PathAttribute.MpUnreach(afi, safi, prefixes(v, afi == Capability.AFI_IPV6));
        default:
          if (!optional) {
            // RFC 4271 §6.3: the data is the attribute (type, length and value).
            byte[] value = v.rest();
            byte[] data = new byte[3 + value.length];
            data[0] = (byte) flags;
            data[1] = (byte) type;
            data[2] = (byte) len;
            System.arraycopy(value, 0, data, 3, value.length);
            throw new BgpProtocolException(
                NotificationCode.UPDATE_UNRECOGNIZED_WELL_KNOWN,
                data,
                "unrecognized well-known attribute " + type);
          }
          // Extended length is how the value was framed, not part of the attribute.
          return new PathAttribute.Unknown(flags & ~EXTENDED_LENGTH, type, v.rest());
      }
    } catch (Truncated e) {
      if (type == PathAttribute.MP_REACH_NLRI || type == PathAttribute.MP_UNREACH_NLRI) {
        throw new BgpProtocolException(
            NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE, "attribute " + type + " is truncated");
      }
      throw new AttributeError("attribute " + type + " is truncated", false);
    }
  }

  private static void wellKnown(int flags, int type) throws AttributeError {
    if ((flags & OPTIONAL) != 0 || (flags & TRANSITIVE) == 0) {
      throw new AttributeError("attribute " + type + " with flags " + flags, false);
    }
  }

  private static void exact(int len, int want, String what) throws AttributeError {
    if (len != want) {
      throw new AttributeError(what + " of length " + len, false);
    }
  }

  private static List<Segment> segments(Reader v, boolean four) throws AttributeError {
    List<Segment> out = new ArrayList<>();
    int width = four ? 4 : 2;
    while (v.remaining() > 0) {
      if (v.remaining() < 2) {
        throw new AttributeError("AS_PATH segment header truncated", false);
      }
      int type = v.u8Unchecked();
      int count = v.u8Unchecked();
      if (type < 1 || type > 4 || count == 0 || count * width > v.remaining()) {
        throw new AttributeError("malformed AS_PATH segment", false); // RFC 7606 §7.2
      }
      List<Long> asns = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        asns.add(four ? v.u32Unchecked() : v.u16Unchecked());
      }
      out.add(new Segment(type, asns));
    }
    return out;
  }

  private static PathAttribute.MpReach mpReach(Reader v) throws BgpProtocolException {
    int afi = v.u16();
    int safi = v.u8();
    int nhLength = v.u8();
    if (nhLength > v.remaining()) {
      throw new BgpProtocolException(
          NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE, "MP_REACH_NLRI next hop overruns");
    }
    byte[] nh = v.bytes(nhLength);
    List<InetAddress> hops = new ArrayList<>();
    int width = afi == Capability.AFI_IPV6 ? 16 : 4;
    if (nhLength == 0 || nhLength % width != 0 || nhLength > 2 * width) {
      throw new BgpProtocolException(
          NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE, "MP_REACH_NLRI next hop length " + nhLength);
    }
    for (int i = 0; i < nhLength; i += width) {
      hops.add(address(Arrays.copyOfRange(nh, i, i + width)));
    }
    v.u8(); // reserved
    return new PathAttribute.MpReach(afi, safi, hops, prefixes(v, afi == Capability.AFI_IPV6));
  }

  private static List<IpPrefix> prefixes(Reader r, boolean ipv6) throws BgpProtocolException {
    List<IpPrefix> out = new ArrayList<>();
    int max = ipv6 ? 128 : 32;
    while (r.remaining() > 0) {
      int len = r.u8Unchecked();
      int octets = (len + 7) / 8;
      if (len > max || octets > r.remaining()) {
        // RFC 7606 §5.3: a prefix that cannot be parsed makes the rest unparseable.
        throw new BgpProtocolException(
            NotificationCode.UPDATE_INVALID_NETWORK_FIELD, "prefix length " + len);
      }
      byte[] a = new byte[max / 8];
      System.arraycopy(r.bytesUnchecked(octets), 0, a, 0, octets);
      if (len % 8 != 0) {
        a[octets - 1] &= (byte) (0xFF << (8 - len % 8)); // RFC 4271 §4.3: trailing bits are ignored
      }
      out.add(new IpPrefix(address(a), len));
    }
    return out;
  }

  private static InetAddress address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address of " + b.length + " bytes", e);
    }
  }

  /** Ran out of bytes inside a length-checked region; mapped to a verdict by the caller. */
  private static final class Truncated extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Truncated() {
      super("truncated", null, false, false);
    }
  }

  /** A cursor over a length-checked region of a message. */
  private static final class Reader {
    private final byte[] b;
    private int pos;
    private final int limit;

    Reader(byte[] b, int pos, int limit) {
      this.b = b;
      this.pos = pos;
      this.limit = limit;
    }

    int remaining() {
      return limit - pos;
    }

    private void need(int n) {
      if (remaining() < n) {
        throw new Truncated();
      }
    }

    int u8() {
      need(1);
      return b[pos++] & 0xFF;
    }

    int u16() {
      need(2);
      return u16Unchecked();
    }

    long u32() {
      need(4);
      return u32Unchecked();
    }

    int u8Unchecked() {
      return b[pos++] & 0xFF;
    }

    int u16Unchecked() {
      int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
      pos += 2;
      return v;
    }

    long u32Unchecked() {
      long v =
          ((b[pos] & 0xFFL) << 24)
              | ((b[pos + 1] & 0xFFL) << 16)
              | ((b[pos + 2] & 0xFFL) << 8)
              | (b[pos + 3] & 0xFFL);
      pos += 4;
      return v;
    }

    byte[] bytes(int n) {
      need(n);
      return bytesUnchecked(n);
    }

    byte[] bytesUnchecked(int n) {
      byte[] out = Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return out;
    }

    byte[] rest() {
      return bytesUnchecked(remaining());
    }

    /** The next n bytes as their own region; this cursor moves past them. */
    Reader sub(int n) {
      need(n);
      Reader r = new Reader(b, pos, pos + n);
      pos += n;
      return r;
    }
  }

  // ---------------------------------------------------------------- encode

  /** Encodes one message, common header included. */
  public static byte[] encode(BgpMessage m, Options options) {
    Writer w = new Writer();
    for (int i = 0; i < 16; i++) {
      w.u8(0xFF);
    }
    w.u16(0); // length, patched below
    w.u8(m.type());
    if (m instanceof Open o) {
      encodeOpen(w, o);
    } else if (m instanceof Update u) {
      encodeUpdate(w, u, options);
    } else if (m instanceof Notification n) {
      w.u8(n.code());
      w.u8(n.subcode());
      w.bytes(n.data().toByteArray());
    } else if (m instanceof RouteRefresh rr) {
      w.u16(rr.afi());
      w.u8(0);
      w.u8(rr.safi());
    } // a KEEPALIVE is the header alone
    byte[] out = w.toByteArray();
    if (out.length > options.maxLength(m.type())) {
      throw new IllegalArgumentException(
          "message of " + out.length + " bytes exceeds " + options.maxLength(m.type()));
    }
    out[16] = (byte) (out.length >>> 8);
    out[17] = (byte) out.length;
    return out;
  }

  private static void encodeOpen(Writer w, Open o) {
    w.u8(o.version());
    w.u16(o.myAs());
    w.u16(o.holdTime());
    w.bytes(o.bgpId().getAddress());
    Writer caps = new Writer();
    for (Capability c : o.capabilities()) {
      Writer v = new Writer();
      if (c instanceof Capability.Multiprotocol mp) {
        v.u16(mp.afi());
        v.u8(0);
        v.u8(mp.safi());
      } else if (c instanceof Capability.GracefulRestart gr) {
        v.u16((gr.restarting() ? 0x8000 : 0) | (gr.restartTime() & 0x0FFF));
        for (Capability.GracefulRestartFamily f : gr.families()) {
          v.u16(f.afi());
          v.u8(f.safi());
          v.u8(f.forwardingPreserved() ? 0x80 : 0);
        }
      } else if (c instanceof Capability.FourOctetAs fo) {
        v.u32(fo.asn());
      } else if (c instanceof Capability.Unknown u) {
        v.bytes(u.value().toByteArray());
      } // Route Refresh has no value
      byte[] value = v.toByteArray();
      caps.u8(c.code());
      caps.u8(value.length);
      caps.bytes(value);
    }
    byte[] params = caps.toByteArray();
    if (params.length == 0) {
      w.u8(0);
    } else {
      // One Capabilities parameter holding them all (RFC 5492 §4 allows either form).
      w.u8(params.length + 2);
      w.u8(2);
      w.u8(params.length);
      w.bytes(params);
    }
  }

  private static void encodeUpdate(Writer w, Update u, Options options) {
    Writer withdrawn = new Writer();
    u.withdrawn().forEach(p -> prefix(withdrawn, p));
    byte[] wd = withdrawn.toByteArray();
    w.u16(wd.length);
    w.bytes(wd);
    Writer attrs = new Writer();
    for (PathAttribute a : u.attributes()) {
      attribute(attrs, a, options);
    }
    byte[] at = attrs.toByteArray();
    w.u16(at.length);
    w.bytes(at);
    u.nlri().forEach(p -> prefix(w, p));
  }

  /** The flags RFC 4271 assigns each attribute type (Partial never set by an originator). */
  private static int flagsOf(PathAttribute a) {
    if (a instanceof PathAttribute.Unknown u) {
      return u.flags() & ~EXTENDED_LENGTH;
    }
    if (a instanceof PathAttribute.AsPath p) {
      return p.as4() ? OPTIONAL | TRANSITIVE : TRANSITIVE;
    }
    return switch (a.typeCode()) {
      case PathAttribute.ORIGIN,
          PathAttribute.NEXT_HOP,
          PathAttribute.LOCAL_PREF,
          PathAttribute.ATOMIC_AGGREGATE ->
          TRANSITIVE;
      case PathAttribute.MULTI_EXIT_DISC,
          PathAttribute.MP_REACH_NLRI,
          PathAttribute.MP_UNREACH_NLRI ->
          OPTIONAL;
      default -> OPTIONAL | TRANSITIVE; // AGGREGATOR, COMMUNITIES, LARGE_COMMUNITY, AS4_*
    };
  }

  private static void attribute(Writer out, PathAttribute a, Options options) {
    Writer v = new Writer();
    if (a instanceof PathAttribute.Origin o) {
      v.u8(o.value());
    } else if (a instanceof PathAttribute.AsPath p) {
      boolean four = p.as4() || options.fourOctetAs();
      for (Segment s : p.segments()) {
        v.u8(s.type());
        v.u8(s.asns().size());
        for (long asn : s.asns()) {
          if (four) {
            v.u32(asn);
          } else {
            v.u16(asn > 0xFFFF ? AS_TRANS : (int) asn);
          }
        }
      }
    } else if (a instanceof PathAttribute.NextHop n) {
      v.bytes(n.address().getAddress());
    } else if (a instanceof PathAttribute.MultiExitDisc m) {
      v.u32(m.value());
    } else if (a instanceof PathAttribute.LocalPref l) {
      v.u32(l.value());
    } else if (a instanceof PathAttribute.Aggregator ag) {
      if (ag.as4() || options.fourOctetAs()) {
        v.u32(ag.asn());
      } else {
        v.u16(ag.asn() > 0xFFFF ? AS_TRANS : (int) ag.asn());
      }
      v.bytes(ag.address().getAddress());
    } else if (a instanceof PathAttribute.Communities c) {
      c.values().forEach(v::u32);
    } else if (a instanceof PathAttribute.LargeCommunities lc) {
      for (PathAttribute.LargeCommunity l : lc.values()) {
        v.u32(l.globalAdministrator());
        v.u32(l.localData1());
        v.u32(l.localData2());
      }
    } else if (a instanceof PathAttribute.MpReach mr) {
      v.u16(mr.afi());
      v.u8(mr.safi());
      v.u8(mr.nextHops().stream().mapToInt(h -> h.getAddress().length).sum());
      mr.nextHops().forEach(h -> v.bytes(h.getAddress()));
      v.u8(0);
      mr.nlri().forEach(p -> prefix(v, p));
    } else if (a instanceof PathAttribute.MpUnreach mu) {
      v.u16(mu.afi());
      v.u8(mu.safi());
      mu.withdrawn().forEach(p -> prefix(v, p));
    } else if (a instanceof PathAttribute.Unknown un) {
      v.bytes(un.value().toByteArray());
    } // ATOMIC_AGGREGATE has no value
    byte[] value = v.toByteArray();
    int flags = flagsOf(a);
    if (value.length > 255) {
      out.u8(flags | EXTENDED_LENGTH);
      out.u8(a.typeCode());
      out.u16(value.length);
    } else {
      out.u8(flags);
      out.u8(a.typeCode());
      out.u8(value.length);
    }
    out.bytes(value);
  }

  /** How many bytes a prefix takes in NLRI. */
  public static int prefixSize(IpPrefix p) {
    return 1 + (p.length() + 7) / 8;
  }

  private static void prefix(Writer w, IpPrefix p) {
    w.u8(p.length());
    w.bytes(Arrays.copyOf(p.address().getAddress(), (p.length() + 7) / 8));
  }

  private static final class Writer extends ByteArrayOutputStream {
    void u8(int v) {
      write(v);
    }

    void u16(int v) {
      write(v >>> 8);
      write(v);
    }

    void u32(long v) {
      write((int) (v >>> 24));
      write((int) (v >>> 16));
      write((int) (v >>> 8));
      write((int) v);
    }

    void bytes(byte[] b) {
      writeBytes(b);
    }
  }
}
