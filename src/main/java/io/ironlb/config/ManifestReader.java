package io.ironlb.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads multi-document YAML (or JSON) manifests from files and directories into {@link
 * ClusterResources}. A directory is read recursively, files in name order, taking {@code .yaml},
 * {@code .yml} and {@code .json}. A syntax error names the file, line and column; the file's other
 * documents up to the error are still read.
 */
public final class ManifestReader {

  /** What was read: the objects, the problems, and how many files and objects were seen. */
  public record Result(ClusterResources resources, List<Problem> problems, int files, int objects) {
    public boolean hasErrors() {
      return problems.stream().anyMatch(Problem::isError);
    }
  }

  private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

  private ManifestReader() {}

  public static Result read(List<Path> paths) {
    ClusterResources.Builder builder = ClusterResources.builder();
    List<Problem> problems = new ArrayList<>();
    int[] counts = new int[2];
    for (Path path : paths) {
      for (Path file : files(path, problems)) {
        counts[0]++;
        String text;
        try {
          text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
          problems.add(Problem.error(file.toString(), "", "cannot read: " + e.getMessage()));
          continue;
        }
        counts[1] += readText(text, file.toString(), builder, problems);
      }
    }
    return new Result(builder.build(), List.copyOf(problems), counts[0], counts[1]);
  }

  /** Reads manifests held in a string, e.g. a test fixture or an HTTP body. */
  public static Result readString(String text, String name) {
    ClusterResources.Builder builder = ClusterResources.builder();
    List<Problem> problems = new ArrayList<>();
    int objects = readText(text, name, builder, problems);
    return new Result(builder.build(), List.copyOf(problems), 1, objects);
  }

  private static List<Path> files(Path path, List<Problem> problems) {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (!Files.isDirectory(path)) {
      problems.add(Problem.error(path.toString(), "", "no such file or directory"));
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      problems.add(Problem.error(path.toString(), "", "cannot list: " + e.getMessage()));
      return List.of();
    }
  }

  private static int readText(
      String text, String file, ClusterResources.Builder out, List<Problem> problems) {
    int objects = 0;
    try (Reader reader = new StringReader(text);
        JsonParser parser = YAML.getFactory().createParser(reader);
        MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
      while (docs.hasNextValue()) {
        JsonLocation at = parser.currentTokenLocation();
        JsonNode doc = docs.nextValue();
        if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty() && doc.isObject()) {
          continue;
        }
        ObjectDecoder.Result r = ObjectDecoder.decode(doc, file + ":" + at.getLineNr());
        problems.addAll(r.problems());
        for (Object o : r.objects()) {
          out.add(o);
          objects++;
        }
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? file : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
      problems.add(Problem.error(where, "", "YAML syntax error: " + syntaxReason(e)));
    } catch (IOException e) {
      problems.add(Problem.error(file, "", "cannot read: " + e.getMessage()));
    }
    return objects;
  }

  /** SnakeYAML's own sentence, without Jackson's location suffix (we print the location first). */
  private static String syntaxReason(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m == null) {
      return "unreadable";
    }
    String first = m.strip().lines().findFirst().orElse(m).strip();
    return first.endsWith(":") ? first.substring(0, first.length() - 1) : first;
  }
}
