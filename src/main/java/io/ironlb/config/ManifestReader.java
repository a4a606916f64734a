package io.ironlb.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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
          text = utf8(Files.readAllBytes(file));
        } catch (CharacterCodingException e) {
          problems.add(Problem.error(file.toString(), "", e.getMessage()));
          continue;
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

  /** Whether a directory's file is read: {@code .yaml}, {@code .yml} or {@code .json}. */
  public static boolean isManifest(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
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
      return walk.filter(Files::isRegularFile).filter(ManifestReader::isManifest).sorted().toList();
    } catch (IOException e) {
      problems.add(Problem.error(path.toString(), "", "cannot list: " + e.getMessage()));
      return List.of();
    }
  }

  private static int readText(
      String text, String file, ClusterResources.Builder out, List<Problem> problems) {
    int[] objects = {0};
    try {
      YamlDocuments.read(
          text,
          (line, doc) -> {
            if (doc == null
                || doc.isNull()
                || doc.isMissingNode()
                || doc.isEmpty() && doc.isObject()) {
              return;
            }
            ObjectDecoder.Result r = ObjectDecoder.decode(doc, file + ":" + line);
            problems.addAll(r.problems());
            for (Object o : r.objects()) {
              out.add(o);
              objects[0]++;
            }
          });
    } catch (YamlDocuments.SyntaxError e) {
      String where = e.line == 0 ? file : file + ":" + e.line + ":" + e.column;
      problems.add(Problem.error(where, "", "YAML syntax error: " + e.getMessage()));
    }
    return objects[0];
  }

  /**
   * The file as UTF-8 text, or the reason it is not: a binary file is named as one, with the first
   * byte that is not UTF-8, rather than with the decoder's "Input length = 1".
   */
  static String utf8(byte[] bytes) throws CharacterCodingException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      throw new CharacterCodingException() {
        private static final long serialVersionUID = 1L;

        @Override
        public String getMessage() {
          return String.format(
              "not a UTF-8 text file (byte %d is 0x%02x)", in.position(), bytes[in.position()]);
        }
      };
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
