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
 * @param unresolved the error is a reference to an object that does not exist (yet): a BFDProfile,
 *     a Community alias. The configuration is invalid until it resolves, but MetalLB's webhook lets
 *     such objects in so that they can be applied in any order (its TransientError).
 */
public record Problem(
    Severity severity, String subject, String field, String reason, boolean unresolved) {

  public enum Severity {
    ERROR,
    WARNING
  }

  public static Problem error(String subject, String field, String reason) {
    return new Problem(Severity.ERROR, subject, field, reason, false);
  }

  /** An error that names an object which does not exist yet. */
  public static Problem unresolved(String subject, String field, String reason) {
    return new Problem(Severity.ERROR, subject, field, reason, true);
  }

  public static Problem warning(String subject, String field, String reason) {
    return new Problem(Severity.WARNING, subject, field, reason, false);
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
