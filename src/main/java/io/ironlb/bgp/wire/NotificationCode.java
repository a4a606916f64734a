package io.ironlb.bgp.wire;

/**
 * Every NOTIFICATION error code and subcode IronLB sends or recognises: RFC 4271 §4.5 and §6, RFC
 * 5492 (Unsupported Capability), RFC 4486 and RFC 9003 (Cease subcodes), RFC 6608 (FSM subcodes),
 * RFC 7313 (ROUTE-REFRESH).
 */
public enum NotificationCode {
  HEADER_CONNECTION_NOT_SYNCHRONIZED(1, 1, "Message Header Error / Connection Not Synchronized"),
  HEADER_BAD_MESSAGE_LENGTH(1, 2, "Message Header Error / Bad Message Length"),
  HEADER_BAD_MESSAGE_TYPE(1, 3, "Message Header Error / Bad Message Type"),
  OPEN_UNSPECIFIC(2, 0, "OPEN Message Error"),
  OPEN_UNSUPPORTED_VERSION(2, 1, "OPEN Message Error / Unsupported Version Number"),
  OPEN_BAD_PEER_AS(2, 2, "OPEN Message Error / Bad Peer AS"),
  OPEN_BAD_BGP_IDENTIFIER(2, 3, "OPEN Message Error / Bad BGP Identifier"),
  OPEN_UNSUPPORTED_OPTIONAL_PARAMETER(2, 4, "OPEN Message Error / Unsupported Optional Parameter"),
  OPEN_UNACCEPTABLE_HOLD_TIME(2, 6, "OPEN Message Error / Unacceptable Hold Time"),
  OPEN_UNSUPPORTED_CAPABILITY(2, 7, "OPEN Message Error / Unsupported Capability"),
  UPDATE_MALFORMED_ATTRIBUTE_LIST(3, 1, "UPDATE Message Error / Malformed Attribute List"),
  UPDATE_UNRECOGNIZED_WELL_KNOWN(3, 2, "UPDATE Message Error / Unrecognized Well-known Attribute"),
  UPDATE_MISSING_WELL_KNOWN(3, 3, "UPDATE Message Error / Missing Well-known Attribute"),
  UPDATE_ATTRIBUTE_FLAGS(3, 4, "UPDATE Message Error / Attribute Flags Error"),
  UPDATE_ATTRIBUTE_LENGTH(3, 5, "UPDATE Message Error / Attribute Length Error"),
  UPDATE_INVALID_ORIGIN(3, 6, "UPDATE Message Error / Invalid ORIGIN Attribute"),
  UPDATE_INVALID_NEXT_HOP(3, 8, "UPDATE Message Error / Invalid NEXT_HOP Attribute"),
  UPDATE_OPTIONAL_ATTRIBUTE(3, 9, "UPDATE Message Error / Optional Attribute Error"),
  UPDATE_INVALID_NETWORK_FIELD(3, 10, "UPDATE Message Error / Invalid Network Field"),
  UPDATE_MALFORMED_AS_PATH(3, 11, "UPDATE Message Error / Malformed AS_PATH"),
  HOLD_TIMER_EXPIRED(4, 0, "Hold Timer Expired"),
  FSM_UNSPECIFIED(5, 0, "Finite State Machine Error"),
  FSM_UNEXPECTED_IN_OPENSENT(5, 1, "Finite State Machine Error / Unexpected Message in OpenSent"),
  FSM_UNEXPECTED_IN_OPENCONFIRM(
      5, 2, "Finite State Machine Error / Unexpected Message in OpenConfirm"),
  FSM_UNEXPECTED_IN_ESTABLISHED(
      5, 3, "Finite State Machine Error / Unexpected Message in Established"),
  CEASE_UNSPECIFIC(6, 0, "Cease"),
  CEASE_MAX_PREFIXES(6, 1, "Cease / Maximum Number of Prefixes Reached"),
  CEASE_ADMINISTRATIVE_SHUTDOWN(6, 2, "Cease / Administrative Shutdown"),
  CEASE_PEER_DECONFIGURED(6, 3, "Cease / Peer De-configured"),
  CEASE_ADMINISTRATIVE_RESET(6, 4, "Cease / Administrative Reset"),
  CEASE_CONNECTION_REJECTED(6, 5, "Cease / Connection Rejected"),
  CEASE_OTHER_CONFIGURATION_CHANGE(6, 6, "Cease / Other Configuration Change"),
  CEASE_CONNECTION_COLLISION(6, 7, "Cease / Connection Collision Resolution"),
  CEASE_OUT_OF_RESOURCES(6, 8, "Cease / Out of Resources"),
  CEASE_HARD_RESET(6, 9, "Cease / Hard Reset"),
  /** RFC 9384: the BFD session that protects this BGP session went down. */
  CEASE_BFD_DOWN(6, 10, "Cease / BFD Down"),
  ROUTE_REFRESH_INVALID_LENGTH(7, 1, "ROUTE-REFRESH Message Error / Invalid Message Length");

  private final int code;
  private final int subcode;
  private final String text;

  NotificationCode(int code, int subcode, String text) {
    this.code = code;
    this.subcode = subcode;
    this.text = text;
  }

  public int code() {
    return code;
  }

  public int subcode() {
    return subcode;
  }

  @Override
  public String toString() {
    return text;
  }

  /** A readable name for any code/subcode pair, known or not. */
  public static String describe(int code, int subcode) {
    for (NotificationCode c : values()) {
      if (c.code == code && c.subcode == subcode) {
        return c.text + " (" + code + "/" + subcode + ")";
      }
    }
    return "error " + code + "/" + subcode;
  }
}
