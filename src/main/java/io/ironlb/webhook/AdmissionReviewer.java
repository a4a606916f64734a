package io.ironlb.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ironlb.config.ClusterResources;
import io.ironlb.config.ConfigValidator;
import io.ironlb.config.MetalLbObject;
import io.ironlb.config.ObjectDecoder;
import io.ironlb.config.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides one AdmissionReview (admission.k8s.io/v1) for a {@code metallb.io} object, as MetalLB's
 * webhooks do: the configuration as it would be after the operation — the existing objects with
 * this one created, replaced or deleted — must pass validation, so an object is refused for what it
 * would break elsewhere too. Two of MetalLB's exceptions: an object outside MetalLB's namespace is
 * refused (IronLB would ignore it), and a reference to an object that does not exist yet (a
 * BFDProfile, a Community alias) does not refuse a create or update, so objects can be applied in
 * any order; the components report it in ConfigurationState until it resolves. Deleting an object
 * that others still name is refused. Pure.
 */
public final class AdmissionReviewer {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private AdmissionReviewer() {}

  /** The AdmissionReview response to {@code review}, given the configuration stored now. */
  public static JsonNode review(JsonNode review, ClusterResources existing) {
    return review(review, existing, "metallb-system");
  }

  /**
   * The AdmissionReview response to {@code review}, given the configuration stored now and the
   * namespace the {@code metallb.io} objects must live in.
   */
  public static JsonNode review(JsonNode review, ClusterResources existing, String namespace) {
    JsonNode request = review.path("request");
    String uid = request.path("uid").asText("");
    String operation = request.path("operation").asText("");
    List<String> denied = new ArrayList<>();
    try {
      denied.addAll(problems(request, operation, existing, namespace));
    } catch (RuntimeException e) {
      denied.add("cannot review this request: " + e.getMessage());
    }
    ObjectNode out = JSON.objectNode();
    out.put("apiVersion", "admission.k8s.io/v1");
    out.put("kind", "AdmissionReview");
    ObjectNode response = out.putObject("response");
    response.put("uid", uid);
    response.put("allowed", denied.isEmpty());
    if (!denied.isEmpty()) {
      ObjectNode status = response.putObject("status");
      status.put("code", 422);
      status.put("reason", "Invalid");
      status.put("message", String.join("; ", denied));
    }
    return out;
  }

  private static List<String> problems(
      JsonNode request, String operation, ClusterResources existing, String home) {
    boolean delete = operation.equals("DELETE");
    JsonNode target = delete ? request.path("oldObject") : request.path("object");
    String kind = request.path("kind").path("kind").asText(target.path("kind").asText(""));
    String name = request.path("name").asText(target.path("metadata").path("name").asText(""));
    String namespace =
        request.path("namespace").asText(target.path("metadata").path("namespace").asText(""));
    if (!delete && !home.equals(namespace)) {
      return List.of(
          kind
              + " "
              + namespace
              + "/"
              + name
              + ": metadata.namespace: resource must be created in "
              + home
              + " namespace");
    }
    ClusterResources.Builder after = ClusterResources.builder();
    existing.configObjects().filter(o -> !sameObject(o, kind, namespace, name)).forEach(after::add);
    // The core objects the rules read (Secrets for passwords, Nodes for selectors) stay.
    existing.secrets().forEach(after::add);
    existing.nodes().forEach(after::add);
    existing.namespaces().forEach(after::add);
    List<Problem> decodeProblems = List.of();
    if (!operation.equals("DELETE")) {
      ObjectDecoder.Result decoded =
          ObjectDecoder.decode(target, kind + " " + namespace + "/" + name);
      decodeProblems = decoded.problems().stream().filter(Problem::isError).toList();
      decoded.objects().forEach(after::add);
    }
    List<Problem> before = ConfigValidator.validate(existing);
    // The object's broken fields first, then what the rules say of the rest of it.
    List<Problem> all = new ArrayList<>(decodeProblems);
    all.addAll(ObjectDecoder.besides(decodeProblems, ConfigValidator.validate(after.build())));
    return all.stream()
        .filter(Problem::isError)
        // A dangling reference refuses only the delete that makes it dangle.
        .filter(p -> !p.unresolved() || delete && !before.contains(p))
        .map(Problem::toString)
        .collect(Collectors.toList());
  }

  private static boolean sameObject(MetalLbObject o, String kind, String namespace, String name) {
    return o.kind().kind().equals(kind)
        && o.metadata().name().equals(name)
        && (namespace.isEmpty() || namespace.equals(o.metadata().namespace()));
  }
}
