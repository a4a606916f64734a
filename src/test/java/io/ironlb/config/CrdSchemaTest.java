package io.ironlb.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs in deploy/k8s/crds are generated from the Java model; this test keeps them so, and
 * checks that the API server's schema and {@link ConfigValidator} agree on the examples and on
 * objects that break a bound.
 */
class CrdSchemaTest {

  private static final Path CRDS = Path.of("deploy/k8s/crds");
  private static final Path EXAMPLES = Path.of("examples");
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void committedCrdsMatchTheModel() throws IOException {
    for (Map.Entry<String, String> f : CrdGenerator.generate().entrySet()) {
      Path file = CRDS.resolve(f.getKey());
      assertThat(file).as("run: java -jar target/ironlb.jar crds deploy/k8s/crds").exists();
      assertThat(Files.readString(file))
          .as(file + " is stale; run: java -jar target/ironlb.jar crds deploy/k8s/crds")
          .isEqualTo(f.getValue());
    }
  }

  /**
   * {@code kubectl get} shows MetalLB's columns, and every column points at a field the schema has
   * (the API server would show an empty column for a wrong path, silently).
   */
  @Test
  void printerColumnsNameFieldsOfTheSchema() {
    for (ObjectKind kind : ObjectKind.values()) {
      ObjectNode crd = CrdGenerator.crd(kind);
      for (JsonNode version : crd.path("spec").path("versions")) {
        JsonNode columns = version.path("additionalPrinterColumns");
        assertThat(columns).as(kind + " columns").isNotEmpty();
        for (JsonNode column : columns) {
          String path = column.path("jsonPath").asText();
          if (path.startsWith(".metadata.")) {
            continue;
          }
          JsonNode node = version.path("schema").path("openAPIV3Schema");
          for (String step : path.substring(1).split("\\.")) {
            node = node.path("properties").path(step);
          }
          assertThat(node.isMissingNode())
              .as(kind + " " + version.path("name").asText() + " column " + path)
              .isFalse();
        }
      }
    }
    assertThat(CrdGenerator.printerColumns(ObjectKind.CONFIGURATION_STATE))
        .extracting(CrdGenerator.PrinterColumn::name)
        .containsExactly("Result", "ErrorSummary", "Age");
    assertThat(CrdGenerator.printerColumns(ObjectKind.SERVICE_L2_STATUS))
        .extracting(CrdGenerator.PrinterColumn::jsonPath)
        .contains(".status.node", ".status.interfaces");
  }

  @Test
  void everyExampleValidatesAgainstTheCrdsAndTheValidator() throws IOException {
    List<JsonNode> docs = metallbDocs(EXAMPLES);
    assertThat(docs).as("examples hold metallb.io objects").hasSizeGreaterThan(5);
    for (JsonNode doc : docs) {
      assertThat(schemaErrors(doc)).as(doc.path("metadata").path("name").asText()).isEmpty();
    }
    ManifestReader.Result read = ManifestReader.read(List.of(EXAMPLES));
    assertThat(read.problems()).isEmpty();
    assertThat(ConfigValidator.validate(read.resources())).filteredOn(Problem::isError).isEmpty();
  }

  static Stream<Arguments> outOfBounds() {
    return Stream.of(
        Arguments.of(Yaml.ebgpPeer("p", "peerPort: 20000")),
        Arguments.of(Yaml.ebgpPeer("p", "dynamicASN: sideways")),
        Arguments.of(Yaml.peer("p", "myASN: -1\npeerASN: 1\npeerAddress: 10.222.0.1")),
        Arguments.of(Yaml.bfd("b", "receiveInterval: 5")),
        Arguments.of(Yaml.bfd("b", "minimumTtl: 0")),
        Arguments.of(Yaml.bgpAdv("x", "aggregationLength: 0")),
        Arguments.of(Yaml.bgpAdv("x", "aggregationLengthV6: 129")),
        Arguments.of(Yaml.l2Adv("l", "preferredNodeSelectors: [{weight: 101, preference: {}}]")),
        Arguments.of(
            Yaml.l2Adv("l", "nodeSelectors: [{matchExpressions: [{key: a, operator: Is}]}]")),
        Arguments.of(Yaml.poolWith("a", "", new String[0])),
        Arguments.of(Yaml.ebgpPeer("p", "peerAdress: 10.222.0.2")));
  }

  @ParameterizedTest
  @MethodSource("outOfBounds")
  void schemaAndValidatorRejectTheSameObjects(String yaml) throws IOException {
    JsonNode doc = YAML.readTree(yaml);
    assertThat(schemaErrors(doc)).as("CRD schema").isNotEmpty();
    ManifestReader.Result read = ManifestReader.readString(yaml, "t.yaml");
    List<Problem> problems = new ArrayList<>(read.problems());
    problems.addAll(ConfigValidator.validate(read.resources()));
    assertThat(problems).as("validator").anyMatch(Problem::isError);
  }

  /** Validates as the API server would with strict field validation (unknown fields rejected). */
  private static Set<ValidationMessage> schemaErrors(JsonNode doc) throws IOException {
    String kind = doc.path("kind").asText();
    String version = doc.path("apiVersion").asText().substring(ObjectKind.GROUP.length() + 1);
    ObjectKind k = ObjectKind.byKind(kind).orElseThrow();
    JsonNode crd =
        YAML.readTree(CRDS.resolve(ObjectKind.GROUP + "_" + k.plural() + ".yaml").toFile());
    JsonNode schema = null;
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (v.path("name").asText().equals(version)) {
        schema = v.path("schema").path("openAPIV3Schema").deepCopy();
      }
    }
    assertThat(schema).as("CRD serves " + version).isNotNull();
    strict(schema);
    JsonSchema compiled =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    return compiled.validate(doc);
  }

  private static void strict(JsonNode schema) {
    if (schema instanceof ObjectNode o && o.has("properties")) {
      o.put("additionalProperties", false);
      o.get("properties").forEach(CrdSchemaTest::strict);
    }
    if (schema.has("items")) {
      strict(schema.get("items"));
    }
  }

  private static List<JsonNode> metallbDocs(Path dir) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (var it = YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
          while (it.hasNext()) {
            JsonNode doc = (JsonNode) it.next();
            if (doc.path("apiVersion").asText().startsWith(ObjectKind.GROUP + "/")) {
              docs.add(doc);
            }
          }
        }
      }
    }
    return docs;
  }
}
