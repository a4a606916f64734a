package io.ironlb.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector (metav1.LabelSelector). All requirements must hold; an empty selector
 * matches everything.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

  public LabelSelector {
    matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
    matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
  }

  public static LabelSelector matching(Map<String, String> labels) {
    return new LabelSelector(labels, List.of());
  }

  /** One {@code matchExpressions} entry. */
  public record Requirement(
      @Schema.Required String key,
      @Schema.Required @Schema.OneOf({"In", "NotIn", "Exists", "DoesNotExist"}) String operator,
      List<String> values) {

    public Requirement {
      values = values == null ? List.of() : List.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (Objects.requireNonNullElse(operator, "")) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> labels.containsKey(key);
        case "DoesNotExist" -> !labels.containsKey(key);
        default -> false;
      };
    }

    /**
     * Why this requirement's values do not fit its operator, or null: In and NotIn need values,
     * Exists and DoesNotExist take none (metav1.LabelSelectorAsSelector). The key and the operator
     * themselves are checked by their schema annotations.
     */
    String problem() {
      return switch (Objects.requireNonNullElse(operator, "")) {
        case "In", "NotIn" -> values.isEmpty() ? "operator " + operator + " needs values" : null;
        case "Exists", "DoesNotExist" ->
            values.isEmpty() ? null : "operator " + operator + " takes no values";
        default -> null;
      };
    }
  }

  public boolean matches(Map<String, String> labels) {
    for (var e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Requirement r : matchExpressions) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** True when any selector matches; an empty list matches everything. */
  public static boolean anyMatches(List<LabelSelector> selectors, Map<String, String> labels) {
    return selectors.isEmpty() || selectors.stream().anyMatch(s -> s.matches(labels));
  }

  @JsonIgnore
  public boolean isEmpty() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  /** A canonical text (labels sorted, values sorted) used to find duplicate selectors. */
  @JsonIgnore
  public String canonical() {
    String labels =
        matchLabels.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(","));
    String expressions =
        matchExpressions.stream()
            .map(r -> r.key() + " " + r.operator() + " " + r.values().stream().sorted().toList())
            .sorted()
            .collect(Collectors.joining(","));
    return "{" + labels + "}{" + expressions + "}";
  }
}
