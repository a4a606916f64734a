package io.ironlb.config;

import io.ironlb.config.Schema.Doc;
import java.util.Map;

/**
 * Whether one component runs on the configuration as written (metallb.io/v1beta1, as MetalLB):
 * {@code controller}, or {@code speaker-NODE}, labelled {@code metallb.io/component-type} and, for
 * speakers, {@code metallb.io/node-name}. Written by that component.
 */
public record ConfigurationState(ObjectMeta metadata, Map<String, Object> spec, Status status)
    implements MetalLbObject {

  @Override
  public ObjectKind kind() {
    return ObjectKind.CONFIGURATION_STATE;
  }

  public record Status(
      @Doc("Valid, Invalid, or Unknown (the component has not reported).") String result,
      @Doc("Why the configuration was rejected: every problem, one per line; empty when Valid.")
          String errorSummary) {}
}
