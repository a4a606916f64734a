package io.ironlb.bgp.session;

/**
 * The AS a peer may have: one number (a BGPPeer's {@code peerASN}), or any AS of a kind (its {@code
 * dynamicASN}: {@code internal}, ours; {@code external}, any other), as FRR's {@code remote-as
 * internal|external}, which MetalLB configures for it.
 */
public sealed interface PeerAs permits PeerAs.Exactly, PeerAs.Dynamic {

  /** Whether a peer whose OPEN says {@code theirs} is acceptable, our AS being {@code ours}. */
  boolean accepts(long theirs, long ours);

  /** Whether the session is internal (iBGP): known before the OPEN in every case. */
  boolean internal(long ours);

  /** What the peer was expected to be, for the refusal's reason. */
  String expected(long ours);

  /** {@code peerASN}. */
  record Exactly(long asn) implements PeerAs {
    @Override
    public boolean accepts(long theirs, long ours) {
      return theirs == asn;
    }

    @Override
    public boolean internal(long ours) {
      return asn == ours;
    }

    @Override
    public String expected(long ours) {
      return Long.toString(asn);
    }

    @Override
    public String toString() {
      return Long.toString(asn);
    }
  }

  /** {@code dynamicASN}. */
  enum Dynamic implements PeerAs {
    INTERNAL,
    EXTERNAL;

    @Override
    public boolean accepts(long theirs, long ours) {
      return (theirs == ours) == (this == INTERNAL);
    }

    @Override
    public boolean internal(long ours) {
      return this == INTERNAL;
    }

    @Override
    public String expected(long ours) {
      return this == INTERNAL
          ? ours + " (dynamicASN internal: our own)"
          : "any AS but " + ours + " (dynamicASN external)";
    }

    @Override
    public String toString() {
      return this == INTERNAL ? "internal" : "external";
    }
  }

  /**
   * From a BGPPeer: {@code dynamicASN} when set ({@code internal}, {@code external}), else the ASN.
   */
  static PeerAs of(long peerAsn, String dynamicAsn) {
    if (dynamicAsn == null || dynamicAsn.isEmpty()) {
      return new Exactly(peerAsn);
    }
    return switch (dynamicAsn) {
      case "internal" -> Dynamic.INTERNAL;
      case "external" -> Dynamic.EXTERNAL;
      default -> throw new IllegalArgumentException("dynamicASN " + dynamicAsn);
    };
  }

  /** {@code internal}, {@code external} or a number, as a table or a log writes it. */
  static PeerAs parse(String text) {
    return switch (text) {
      case "internal" -> Dynamic.INTERNAL;
      case "external" -> Dynamic.EXTERNAL;
      default -> new Exactly(Long.parseLong(text));
    };
  }
}
