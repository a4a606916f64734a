package io.ironlb.ipam;

/** A (protocol, port) pair a Service listens on; two Services sharing an address may not clash. */
public record ServicePort(String protocol, int port) {
  @Override
  public String toString() {
    return protocol + "/" + port;
  }
}
