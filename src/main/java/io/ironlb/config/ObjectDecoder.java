package io.ironlb.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Turns one parsed document into typed objects: the {@code metallb.io} records (strictly: unknown
 * fields and wrong types are problems, as with {@code kubectl apply}'s strict field validation) and
 * the core kinds IronLB reads (fabric8's model). A {@code v1 List} is expanded. Nothing here throws
 * for bad input; every failure becomes a {@link Problem} naming the object and the field.
 */
public final class ObjectDecoder {

  /** Objects decoded from one document, and what was wrong with it. */
  public record Result(List<Object> objects, List<Problem> problems) {}

  private static final Map<String, Class<? extends HasMetadata>> CORE_KINDS =
      Map.of(
          "v1/Service", Service.class,
          "v1/Node", Node.class,
          "v1/Namespace", Namespace.class,
          "v1/Secret", Secret.class,
          "discovery.k8s.io/v1/EndpointSlice", EndpointSlice.class);

  /** Strict: what the CRD schema would reject, we reject. */
  static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .build();

  /** Core objects carry many fields IronLB ignores; fabric8's model keeps them aside. */
  private static final ObjectMapper LENIENT =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private ObjectDecoder() {}

  public static Result decode(JsonNode doc, String source) {
    List<Object> objects = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    decodeInto(doc, source, objects, problems);
    return new Result(objects, problems);
  }

  private static void decodeInto(
      JsonNode doc, String source, List<Object> objects, List<Problem> problems) {
    if (!doc.isObject()) {
      problems.add(
          Problem.error(source, "", "expected a Kubernetes object, found " + describe(doc)));
      return;
    }
    String apiVersion = doc.path("apiVersion").asText("");
    String kind = doc.path("kind").asText("");
    String subject = subject(kind, doc, source);
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      problems.add(Problem.error(subject, "", "apiVersion and kind are required"));
      return;
    }
    if (apiVersion.equals("v1") && kind.equals("List")) {
      int i = 0;
      for (JsonNode item : doc.path("items")) {
        decodeInto(item, source + " items[" + i++ + "]", objects, problems);
      }
      return;
    }
    if (doc.path("metadata").path("name").asText("").isEmpty()) {
      problems.add(Problem.error(subject, "metadata.name", "required"));
      return;
    }
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    if (group.equals(ObjectKind.GROUP)) {
      decodeMetalLb(doc, apiVersion, kind, subject, objects, problems);
      return;
    }
    Class<? extends HasMetadata> core = CORE_KINDS.get(apiVersion + "/" + kind);
    if (core == null) {
      problems.add(
          Problem.error(
              subject,
              "",
              "unsupported kind "
                  + kind
                  + " (apiVersion "
                  + apiVersion
                  + "); IronLB reads metallb.io objects and v1 Service, Node, Namespace, Secret,"
                  + " discovery.k8s.io/v1 EndpointSlice"));
      return;
    }
    try {
      objects.add(LENIENT.treeToValue(doc, core));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      problems.add(fieldProblem(subject, e));
    }
  }

  private static void decodeMetalLb(
      JsonNode doc,
      String apiVersion,
      String kind,
      String subject,
      List<Object> objects,
      List<Problem> problems) {
    var known = ObjectKind.byKind(kind);
    if (known.isEmpty()) {
      problems.add(
          Problem.error(
              subject,
              "kind",
              "unknown kind "
                  + kind
                  + " in "
                  + ObjectKind.GROUP
                  + " (one of "
                  + kindNames()
                  + ")"));
      return;
    }
    ObjectKind k = known.get();
    boolean legacyPeer =
        k == ObjectKind.BGP_PEER && apiVersion.equals(ObjectKind.GROUP + "/v1beta1");
    if (!apiVersion.equals(k.apiVersion()) && !legacyPeer) {
      problems.add(
          Problem.error(
              subject,
              "apiVersion",
              apiVersion + " is not served for " + kind + " (use " + k.apiVersion() + ")"));
      return;
    }
    ObjectNode body = doc.deepCopy();
    body.remove(List.of("apiVersion", "kind"));
    // A field of the wrong type is reported, taken out, and the object decoded again without it,
    // so one run reports all of the object's problems, not only the first (the object, decoded
    // without its broken fields, is still checked by the validator: the configuration is invalid
    // either way, since it has a problem).
    for (int round = 0; ; round++) {
      List<Problem> unknown = new ArrayList<>();
      try {
        ObjectReader reader =
            STRICT
                .readerFor(legacyPeer ? BGPPeerV1beta1.class : k.type())
                .withHandler(new UnknownFieldCollector(subject, unknown));
        Object value = reader.readValue(body);
        objects.add(legacyPeer ? ((BGPPeerV1beta1) value).toV1beta2() : value);
        problems.addAll(unknown);
        return;
      } catch (IOException | IllegalArgumentException e) {
        problems.add(fieldProblem(subject, e));
        if (round >= MAX_BROKEN_FIELDS
            || !(e instanceof JsonMappingException jme)
            || !removeField(body, jme.getPath())) {
          problems.addAll(unknown);
          return;
        }
      }
    }
  }

  /** At most this many broken fields are taken out of one object before decoding gives up. */
  private static final int MAX_BROKEN_FIELDS = 32;

  /** Removes the field a failure points at; false when it cannot (the object itself is meant). */
  private static boolean removeField(ObjectNode body, List<JsonMappingException.Reference> path) {
    if (path.isEmpty()) {
      return false;
    }
    JsonNode parent = body;
    for (var ref : path.subList(0, path.size() - 1)) {
      parent =
          ref.getFieldName() != null
              ? parent.path(ref.getFieldName())
              : parent.path(ref.getIndex());
    }
    var last = path.get(path.size() - 1);
    if (last.getFieldName() != null
        && parent instanceof ObjectNode o
        && o.has(last.getFieldName())) {
      o.remove(last.getFieldName());
      return true;
    }
    if (last.getIndex() >= 0
        && parent instanceof com.fasterxml.jackson.databind.node.ArrayNode a
        && last.getIndex() < a.size()) {
      a.remove(last.getIndex());
      return true;
    }
    return false;
  }

  /**
   * The validator's problems that say something new beside the decoder's: a field the decoder
   * already reported (and took out) is not reported again as missing.
   */
  public static List<Problem> besides(List<Problem> decoded, List<Problem> validated) {
    java.util.Set<String> reported = new java.util.HashSet<>();
    for (Problem p : decoded) {
      reported.add(p.subject() + "\0" + p.field());
    }
    return validated.stream()
        .filter(p -> p.field().isEmpty() || !reported.contains(p.subject() + "\0" + p.field()))
        .toList();
  }

  /**
   * Reports each unknown field (as strict field validation would) and lets decoding go on, so the
   * object's other problems are reported in the same run.
   */
  private static final class UnknownFieldCollector extends DeserializationProblemHandler {
    private final String subject;
    private final List<Problem> problems;

    UnknownFieldCollector(String subject, List<Problem> problems) {
      this.subject = subject;
      this.problems = problems;
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      JsonStreamContext ctx = p.getParsingContext();
      if (p.currentToken() != null && p.currentToken().isStructStart()) {
        ctx = ctx.getParent(); // positioned on the value's own object or array
      }
      String parent = path(ctx.getParent());
      String field = parent.isEmpty() ? propertyName : parent + "." + propertyName;
      problems.add(
          Problem.error(
              subject,
              field,
              "unknown field" + suggestion(propertyName, deserializer.getKnownPropertyNames())));
      p.skipChildren();
      return true;
    }

    private static String path(JsonStreamContext ctx) {
      Deque<String> parts = new ArrayDeque<>();
      for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inArray()) {
          parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
        } else if (c.getCurrentName() != null) {
          parts.push(
              (parts.isEmpty() || parts.peek().startsWith("[") ? "" : "") + c.getCurrentName());
        }
      }
      StringBuilder sb = new StringBuilder();
      for (String part : parts) {
        if (sb.length() > 0 && !part.startsWith("[")) {
          sb.append('.');
        }
        sb.append(part);
      }
      return sb.toString();
    }
  }

  private static String kindNames() {
    return String.join(
        ", ", ObjectKind.configurationKinds().stream().map(ObjectKind::kind).toList());
  }

  private static String subject(String kind, JsonNode doc, String source) {
    JsonNode meta = doc.path("metadata");
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      return (kind.isEmpty() ? "object" : kind) + " at " + source;
    }
    String ns = meta.path("namespace").asText("");
    return (kind.isEmpty() ? "object" : kind) + " " + (ns.isEmpty() ? name : ns + "/" + name);
  }

  /** Maps a Jackson failure to the field's JSON path and a reason a person can act on. */
  static Problem fieldProblem(String subject, Exception e) {
    if (!(e instanceof JsonMappingException jme)) {
      return Problem.error(subject, "", firstLine(e.getMessage()));
    }
    String path = path(jme.getPath());
    String reason;
    if (jme instanceof ValueInstantiationException && jme.getCause() != null) {
      reason = firstLine(jme.getCause().getMessage());
    } else if (jme instanceof InvalidFormatException f) {
      reason = "expected " + typeName(f.getTargetType()) + ", found \"" + f.getValue() + "\"";
    } else if (jme instanceof MismatchedInputException m && m.getTargetType() != null) {
      reason = "expected " + typeName(m.getTargetType());
    } else if (jme.getCause() instanceof IllegalArgumentException iae) {
      reason = firstLine(iae.getMessage());
    } else {
      reason = firstLine(jme.getOriginalMessage());
    }
    return Problem.error(subject, path, reason);
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (var r : refs) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String suggestion(String name, Collection<Object> known) {
    if (known == null) {
      return "";
    }
    for (Object k : known) {
      if (k.toString().equalsIgnoreCase(name)) {
        return " (did you mean " + k + "?)";
      }
    }
    return "";
  }

  private static String typeName(Class<?> t) {
    if (t == null) {
      return "another type";
    }
    if (t == long.class || t == Long.class || t == int.class || t == Integer.class) {
      return "an integer";
    }
    if (t == boolean.class || t == Boolean.class) {
      return "true or false";
    }
    if (t == String.class || t == GoDuration.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(t) || t.isArray()) {
      return "a list";
    }
    return "an object";
  }

  private static String describe(JsonNode n) {
    if (n.isArray()) {
      return "a list";
    }
    return n.isNull() || n.isMissingNode()
        ? "nothing"
        : "a " + n.getNodeType().name().toLowerCase();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
