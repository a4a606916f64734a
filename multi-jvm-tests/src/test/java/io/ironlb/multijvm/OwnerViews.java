package io.ironlb.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads nodes' {@code /v1/services} and tells whether they agree on each Service's layer-2 owner.
 */
final class OwnerViews {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OwnerViews() {}

  /**
   * {@code namespace/name} → owner, when every node's body (null: unreachable) reports the same
   * owners; else null.
   */
  static Map<String, String> agreed(List<Supplier<String>> bodies) {
    Map<String, String> agreed = null;
    for (Supplier<String> body : bodies) {
      Map<String, String> view = owners(body.get());
      if (view == null || (agreed != null && !agreed.equals(view))) {
        return null;
      }
      agreed = view;
    }
    return agreed;
  }

  private static Map<String, String> owners(String body) {
    if (body == null) {
      return null;
    }
    Map<String, String> view = new HashMap<>();
    try {
      for (JsonNode row : JSON.readTree(body)) {
        JsonNode owner = row.path("l2").path("owner");
        if (owner.isTextual()) {
          view.put(
              row.path("namespace").asText() + "/" + row.path("name").asText(), owner.asText());
        }
      }
    } catch (IOException e) {
      return null;
    }
    return view;
  }
}
