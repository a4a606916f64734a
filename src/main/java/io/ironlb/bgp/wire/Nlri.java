package io.ironlb.bgp.wire;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prefixes as UPDATE carries them (RFC 4271 §4.3, RFC 4760 §5): a length in bits, then just enough
 * octets to hold it. The same form serves NLRI, withdrawn routes and the multiprotocol attributes.
 */
final class Nlri {
  private Nlri() {}

  /** Reads prefixes until the buffer is empty. */
  static List<IpPrefix> read(ByteBuf in, boolean ipv6) throws BgpProtocolException {
    List<IpPrefix> out = new ArrayList<>();
    int max = ipv6 ? 128 : 32;
    while (in.isReadable()) {
      int length = in.readUnsignedByte();
      int octets = (length + 7) / 8;
      if (length > max || octets > in.readableBytes()) {
        // RFC 7606 §5.3: a prefix that cannot be parsed makes the rest unparseable.
        throw new BgpProtocolException(
            NotificationCode.UPDATE_INVALID_NETWORK_FIELD, "prefix length " + length);
      }
      byte[] address = new byte[max / 8];
      in.readBytes(address, 0, octets);
      if (length % 8 != 0) {
        // RFC 4271 §4.3: the bits after the prefix are irrelevant.
        address[octets - 1] &= (byte) (0xFF << (8 - length % 8));
      }
      out.add(new IpPrefix(address(address), length));
    }
    return out;
  }

  static void write(ByteBuf out, IpPrefix prefix) {
    out.writeByte(prefix.length());
    out.writeBytes(prefix.address().getAddress(), 0, (prefix.length() + 7) / 8);
  }

  /** How many bytes a prefix takes. */
  static int size(IpPrefix prefix) {
    return 1 + (prefix.length() + 7) / 8;
  }

  static InetAddress address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address of " + b.length + " bytes", e);
    }
  }

  static InetAddress readAddress(ByteBuf in, int width) {
    byte[] b = new byte[width];
    in.readBytes(b);
    return address(b);
  }
}
