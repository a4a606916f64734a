package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks the facts declared with {@link Schema} annotations ({@code Range}, {@code OneOf}, {@code
 * Required}) on any model record, reporting each violation with its JSON path. The CRD generator
 * writes the same annotations into the OpenAPI schema.
 */
final class SchemaRules {
  private SchemaRules() {}

  static void check(MetalLbObject object, Consumer<Problem> problems) {
    walk(object, "", object.describe(), problems);
  }

  /** The JSON name of a record component: its {@code @JsonProperty} value, else its own name. */
  static String jsonName(RecordComponent rc) {
    JsonProperty p = rc.getAnnotation(JsonProperty.class);
    if (p == null) {
      p = rc.getAccessor().getAnnotation(JsonProperty.class);
    }
    return p != null && !p.value().isEmpty() ? p.value() : rc.getName();
  }

  private static void walk(Object record, String path, String subject, Consumer<Problem> out) {
    for (RecordComponent rc : record.getClass().getRecordComponents()) {
      if (rc.getType() == ObjectMeta.class) {
        continue;
      }
      Object value = get(record, rc);
      String field = path.isEmpty() ? jsonName(rc) : path + "." + jsonName(rc);
      Schema.Required required = rc.getAnnotation(Schema.Required.class);
      if (required != null && isMissing(value)) {
        out.accept(Problem.error(subject, field, "required"));
        continue;
      }
      Schema.Range range = rc.getAnnotation(Schema.Range.class);
      if (range != null && value instanceof Number n) {
        long v = n.longValue();
        if (v < range.min() || v > range.max()) {
          out.accept(
              Problem.error(
                  subject,
                  field,
                  "invalid value "
                      + v
                      + ", must be in "
                      + range.min()
                      + "-"
                      + range.max()
                      + " range"));
        }
      }
      Schema.OneOf oneOf = rc.getAnnotation(Schema.OneOf.class);
      if (oneOf != null && value instanceof String s && !s.isEmpty()) {
        if (!Arrays.asList(oneOf.value()).contains(s)) {
          out.accept(
              Problem.error(
                  subject,
                  field,
                  "\"" + s + "\" is not one of " + String.join(", ", oneOf.value())));
        }
      }
      if (value instanceof Record nested) {
        walk(nested, field, subject, out);
      } else if (value instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          if (list.get(i) instanceof Record nested) {
            walk(nested, field + "[" + i + "]", subject, out);
          }
        }
      }
    }
  }

  private static boolean isMissing(Object value) {
    return value == null
        || value instanceof String s && s.isEmpty()
        || value instanceof Collection<?> c && c.isEmpty();
  }

  private static Object get(Object record, RecordComponent rc) {
    try {
      return rc.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + rc, e);
    }
  }

  /** The record components of a type, for the CRD generator. */
  static List<RecordComponent> components(Class<?> type) {
    return Arrays.asList(type.getRecordComponents());
  }
}
