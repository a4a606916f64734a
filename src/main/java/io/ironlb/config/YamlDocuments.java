package io.ironlb.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Multi-document YAML into JSON trees, through SnakeYAML's composer: anchors and aliases work for
 * mappings and lists as for scalars (Jackson's YAML parser gives an alias to a collection as a
 * string), merge keys ({@code <<}) are applied, and a syntax error names the line where the parser
 * found the problem, with SnakeYAML's own sentence for it. Scalars keep what {@code kubectl} makes
 * of them: {@code true}/{@code false} are booleans, plain numbers numbers, the rest text.
 */
final class YamlDocuments {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Many aliases to collections is how "billion laughs" documents blow up: a bound. */
  private static final int MAX_ALIASES = 100;

  /** A syntax error: where (1-based line and column) and why. */
  static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;

    SyntaxError(int line, int column, String reason) {
      super(reason, null, false, false);
      this.line = line;
      this.column = column;
    }
  }

  private YamlDocuments() {}

  /**
   * Hands each document's JSON tree and first line to {@code each}, in order; documents before a
   * syntax error are handed over before it is thrown.
   */
  static void read(String text, BiConsumer<Integer, JsonNode> each) throws SyntaxError {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    Iterator<Node> docs = new Yaml(options).composeAll(new StringReader(text)).iterator();
    try {
      while (docs.hasNext()) {
        Node doc = docs.next();
        if (doc != null) {
          each.accept(doc.getStartMark().getLine() + 1, json(doc));
        }
      }
    } catch (MarkedYAMLException e) {
      Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String reason = e.getProblem() != null ? e.getProblem() : "unreadable";
      if (e.getContext() != null && e.getContextMark() != null) {
        reason +=
            " ("
                + e.getContext()
                + " at line "
                + (e.getContextMark().getLine() + 1)
                + ", column "
                + (e.getContextMark().getColumn() + 1)
                + ")";
      }
      throw new SyntaxError(
          at == null ? 0 : at.getLine() + 1, at == null ? 0 : at.getColumn() + 1, reason);
    } catch (YAMLException e) {
      throw new SyntaxError(
          0, 0, e.getMessage() == null ? "unreadable" : firstLine(e.getMessage()));
    }
  }

  private static JsonNode json(Node node) {
    if (node instanceof MappingNode m) {
      ObjectNode out = JSON.objectNode();
      // Merge keys first, so the mapping's own keys override what they bring (YAML merge spec).
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode().getTag().equals(Tag.MERGE)) {
          merge(out, t.getValueNode());
        }
      }
      for (NodeTuple t : m.getValue()) {
        if (!t.getKeyNode().getTag().equals(Tag.MERGE)) {
          out.set(key(t.getKeyNode()), json(t.getValueNode()));
        }
      }
      return out;
    }
    if (node instanceof SequenceNode s) {
      ArrayNode out = JSON.arrayNode();
      s.getValue().forEach(n -> out.add(json(n)));
      return out;
    }
    return scalar((ScalarNode) node);
  }

  private static void merge(ObjectNode into, Node from) {
    if (from instanceof SequenceNode s) {
      s.getValue().forEach(n -> merge(into, n));
    } else if (json(from) instanceof ObjectNode o) {
      into.setAll(o);
    }
  }

  private static String key(Node key) {
    return key instanceof ScalarNode s ? s.getValue() : json(key).toString();
  }

  private static JsonNode scalar(ScalarNode s) {
    String v = s.getValue();
    Tag tag = s.getTag();
    if (tag.equals(Tag.NULL)) {
      return JSON.nullNode();
    }
    if (tag.equals(Tag.BOOL)) {
      String lower = v.toLowerCase(Locale.ROOT);
      // YAML 1.1's yes/no/on/off stay text, as they do for Kubernetes' string fields.
      if (lower.equals("true") || lower.equals("false")) {
        return JSON.booleanNode(lower.equals("true"));
      }
      return JSON.textNode(v);
    }
    if (tag.equals(Tag.INT)) {
      try {
        BigInteger n = new BigInteger(v.replace("_", ""));
        // The narrowest node, as Jackson's own parser gives it (fabric8's IntOrString wants an
        // int).
        return n.bitLength() < 32
            ? JSON.numberNode(n.intValue())
            : n.bitLength() < 64 ? JSON.numberNode(n.longValue()) : JSON.numberNode(n);
      } catch (NumberFormatException e) {
        return JSON.textNode(v); // 0x.., 0o.., sexagesimal: not numbers to Kubernetes either
      }
    }
    if (tag.equals(Tag.FLOAT)) {
      try {
        return JSON.numberNode(Double.parseDouble(v.replace("_", "")));
      } catch (NumberFormatException e) {
        return JSON.textNode(v);
      }
    }
    return JSON.textNode(v);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
