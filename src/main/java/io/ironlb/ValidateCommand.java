package io.ironlb;

import io.ironlb.config.ConfigValidator;
import io.ironlb.config.ManifestReader;
import io.ironlb.config.ObjectDecoder;
import io.ironlb.config.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ironlb validate PATH...}: the webhook's rules, offline. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks metallb.io objects (and the Services, Nodes, Namespaces, EndpointSlices and Secrets",
      "beside them) with the same rules as the admission webhook.",
      "Reads YAML or JSON files; directories are read recursively (*.yaml, *.yml, *.json).",
      "Exit status: 0 when valid (warnings allowed), 1 when any error is found.",
      "Each problem is one line: Kind namespace/name: field: reason."
    })
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to read.")
  List<Path> paths;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ManifestReader.Result read = ManifestReader.read(paths);
    List<Problem> problems = new ArrayList<>(read.problems());
    problems.addAll(
        ObjectDecoder.besides(read.problems(), ConfigValidator.validate(read.resources())));
    problems.forEach(out::println);
    long errors = problems.stream().filter(Problem::isError).count();
    if (errors > 0) {
      spec.commandLine()
          .getErr()
          .printf(
              "invalid: %d error%s, %d warning%s%n",
              errors,
              errors == 1 ? "" : "s",
              problems.size() - errors,
              problems.size() - errors == 1 ? "" : "s");
      return 1;
    }
    out.printf(
        "valid: %d object%s in %d file%s (%s)%n",
        read.objects(),
        read.objects() == 1 ? "" : "s",
        read.files(),
        read.files() == 1 ? "" : "s",
        summary(read));
    return 0;
  }

  private static String summary(ManifestReader.Result read) {
    Map<String, Long> counts = new LinkedHashMap<>();
    read.resources()
        .configObjects()
        .collect(
            Collectors.groupingBy(o -> o.kind().kind(), LinkedHashMap::new, Collectors.counting()))
        .forEach(counts::put);
    var r = read.resources();
    put(counts, "Service", r.services().size());
    put(counts, "EndpointSlice", r.endpointSlices().size());
    put(counts, "Node", r.nodes().size());
    put(counts, "Namespace", r.namespaces().size());
    put(counts, "Secret", r.secrets().size());
    if (counts.isEmpty()) {
      return "nothing to check";
    }
    return counts.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
  }

  private static void put(Map<String, Long> counts, String kind, int n) {
    if (n > 0) {
      counts.put(kind, (long) n);
    }
  }
}
