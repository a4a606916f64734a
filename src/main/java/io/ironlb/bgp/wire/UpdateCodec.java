package io.ironlb.bgp.wire;

import io.ironlb.bgp.wire.BgpMessage.Update;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The UPDATE message body (RFC 4271 §4.3): withdrawn routes, path attributes, NLRI. Errors follow
 * RFC 7606: a broken attribute list resets the session, a broken attribute whose bounds are intact
 * marks the UPDATE treat-as-withdraw or is discarded, as its section says.
 */
final class UpdateCodec {
  private UpdateCodec() {}

  static Update parse(ByteBuf in, BgpCodec.Options options) throws BgpProtocolException {
    int withdrawnLength = in.readUnsignedShort();
    if (withdrawnLength > in.readableBytes() - 2) {
      throw malformed("withdrawn routes length " + withdrawnLength + " overruns the message");
    }
    List<IpPrefix> withdrawn = Nlri.read(in.readSlice(withdrawnLength), false);
    int attributesLength = in.readUnsignedShort();
    if (attributesLength > in.readableBytes()) {
      throw malformed("path attributes length " + attributesLength + " overruns the message");
    }
    ByteBuf attributeList = in.readSlice(attributesLength);
    List<IpPrefix> nlri = Nlri.read(in, false);
    List<PathAttribute> attributes = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    String withdraw = null;
    while (attributeList.isReadable()) {
      int flags = attributeList.readUnsignedByte();
      boolean extended = (flags & AttributeCodec.EXTENDED_LENGTH) != 0;
      if (attributeList.readableBytes() < (extended ? 3 : 2)) {
        throw malformed("truncated attribute header");
      }
      int type = attributeList.readUnsignedByte();
      int length = extended ? attributeList.readUnsignedShort() : attributeList.readUnsignedByte();
      if (length > attributeList.readableBytes()) {
        // RFC 7606 §4: the attribute list can no longer be parsed.
        throw malformed("attribute " + type + " of length " + length + " overruns the list");
      }
      ByteBuf value = attributeList.readSlice(length);
      boolean multiprotocol = PathAttributes.isMultiprotocol(type);
      if (!seen.add(type)) {
        if (multiprotocol) {
          throw malformed("repeated attribute " + type); // RFC 7606 §3 (g)
        }
        continue; // RFC 7606 §3 (g): discard all but the first
      }
      try {
        attributes.add(PathAttributes.parse(flags, type, value, options));
      } catch (AttributeError e) {
        if (multiprotocol) { // RFC 7606 §5.3/§7.11: without AFI/SAFI disable, a session reset
          throw new BgpProtocolException(
              NotificationCode.UPDATE_OPTIONAL_ATTRIBUTE, e.getMessage());
        }
        if (!e.discardOnly() && withdraw == null) {
          withdraw = e.getMessage();
        }
      }
    }
    boolean reach = !nlri.isEmpty() || seen.contains(PathAttribute.MP_REACH_NLRI);
    if (withdraw == null && reach) {
      withdraw = missingMandatory(seen, !nlri.isEmpty());
    }
    return new Update(withdrawn, attributes, nlri, withdraw);
  }

  /** RFC 7606 §3 (d): a missing well-known mandatory attribute is treat-as-withdraw. */
  private static String missingMandatory(Set<Integer> seen, boolean ipv4Nlri) {
    if (!seen.contains(PathAttribute.ORIGIN)) {
      return "missing ORIGIN";
    } else if (!seen.contains(PathAttribute.AS_PATH)) {
      return "missing AS_PATH";
    } else if (ipv4Nlri && !seen.contains(PathAttribute.NEXT_HOP)) {
      return "missing NEXT_HOP";
    }
    return null;
  }

  private static BgpProtocolException malformed(String reason) {
    return new BgpProtocolException(NotificationCode.UPDATE_MALFORMED_ATTRIBUTE_LIST, reason);
  }

  static void write(ByteBuf out, Update update, BgpCodec.Options options) {
    int withdrawnAt = out.writerIndex();
    out.writeShort(0); // patched below
    update.withdrawn().forEach(p -> Nlri.write(out, p));
    out.setShort(withdrawnAt, out.writerIndex() - withdrawnAt - 2);
    int attributesAt = out.writerIndex();
    out.writeShort(0); // patched below
    update.attributes().forEach(a -> PathAttributes.write(out, a, options));
    out.setShort(attributesAt, out.writerIndex() - attributesAt - 2);
    update.nlri().forEach(p -> Nlri.write(out, p));
  }
}
