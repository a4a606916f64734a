package io.ironlb.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Schema facts declared once on the model's record components. The {@link ConfigValidator} enforces
 * them and the CRD generator writes them into the OpenAPI schemas, so the API server and {@code
 * ironlb validate} can never disagree about a bound.
 */
public final class Schema {
  private Schema() {}

  /** Inclusive numeric bounds, as {@code +kubebuilder:validation:Minimum/Maximum}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
  public @interface Range {
    long min();

    long max();
  }

  /** The only values a string field may take, as {@code +kubebuilder:validation:Enum}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
  public @interface OneOf {
    String[] value();
  }

  /** The default the API server fills in, as {@code +kubebuilder:default}, written as YAML. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
  public @interface Default {
    String value();
  }

  /** A field the OpenAPI schema must list as required. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
  public @interface Required {}

  /** A one-line description for {@code kubectl explain}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
  public @interface Doc {
    String value();
  }
}
