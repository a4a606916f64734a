package io.ironlb.config;

/**
 * One thing wrong with the configuration, phrased for the operator: the object, the field and the
 * reason, e.g. {@code BGPPeer metallb-system/core: spec.keepaliveTime: 120s is longer than
 * spec.holdTime 90s}.
 *
 * @param severity errors make the configuration invalid; warnings are printed but do not
 * @param subject {@code Kind namespace/name}, or {@code file:line:column} for a syntax error
 * @param field the JSON path of the offending field, empty when the whole object is meant
 * @param reason why it is wrong
 */
public record Problem(Severity severity, String subject, String field, String reason) {

  public enum Severity {
    ERROR,
    WARNING
  }

  public static Problem error(String subject, String field, String reason) {
    return new Problem(Severity.ERROR, subject, field, reason);
  }

  public static Problem warning(String subject, String field, String reason) {
    return new Problem(Severity.WARNING, subject, field, reason);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    String where = field.isEmpty() ? "" : field + ": ";
    String prefix = severity == Severity.WARNING ? "warning: " : "";
    return prefix + subject + ": " + where + reason;
  }
}
