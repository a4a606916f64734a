package io.ironlb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ironlb.config.ConfigValidator;
import io.ironlb.config.ManifestReader;
import io.ironlb.config.Problem;
import io.ironlb.ipam.Allocator;
import io.ironlb.ipam.Pools;
import io.ironlb.ipam.ServiceRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ironlb plan PATH...}: the allocator, offline. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the allocator over files: metallb.io objects plus Services (their existing",
      "status.loadBalancer.ingress is honoured, as after a controller restart), and prints each",
      "LoadBalancer Service's addresses and pool, or the reason it gets none.",
      "Exit status: 0 when the configuration is valid (even if some Services get nothing),",
      "1 when it is invalid (the same messages as validate)."
    })
final class PlanCommand implements Callable<Integer> {

  enum Output {
    table,
    json
  }

  /** One row of the plan; the JSON shape is part of the command's contract. */
  record Row(String namespace, String name, List<String> ips, String pool, String error) {}

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to read.")
  List<Path> paths;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  Output output;

  @Option(
      names = "--lb-class",
      description = "Handle only Services of this loadBalancerClass (default: those without one).")
  String loadBalancerClass;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws JsonProcessingException {
    PrintWriter out = spec.commandLine().getOut();
    ManifestReader.Result read = ManifestReader.read(paths);
    List<Problem> problems = new ArrayList<>(read.problems());
    problems.addAll(ConfigValidator.validate(read.resources()));
    if (!ConfigValidator.isValid(problems)) {
      problems.forEach(p -> spec.commandLine().getErr().println(p));
      return 1;
    }
    problems.forEach(p -> spec.commandLine().getErr().println(p));
    List<Row> rows = plan(read, loadBalancerClass);
    if (output == Output.json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
    } else {
      printTable(out, rows);
    }
    return 0;
  }

  static List<Row> plan(ManifestReader.Result read, String loadBalancerClass) {
    Allocator allocator = new Allocator(Pools.from(read.resources()), loadBalancerClass);
    List<ServiceRequest> requests =
        read.resources().services().stream().map(ServiceRequest::of).toList();
    List<Row> rows = new ArrayList<>();
    for (Allocator.Decision d : allocator.reconcileAll(requests)) {
      if (!d.handled()) {
        continue;
      }
      ServiceRequest req =
          requests.stream().filter(r -> r.key().equals(d.key())).findFirst().orElseThrow();
      if (!req.loadBalancer()) {
        continue;
      }
      rows.add(new Row(d.key().namespace(), d.key().name(), d.ips(), d.pool(), d.error()));
    }
    return rows;
  }

  private static void printTable(PrintWriter out, List<Row> rows) {
    if (rows.isEmpty()) {
      out.println("no LoadBalancer Services");
      return;
    }
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"SERVICE", "IPS", "POOL", "ERROR"});
    for (Row r : rows) {
      cells.add(
          new String[] {
            r.namespace() + "/" + r.name(),
            r.ips().isEmpty() ? "-" : String.join(",", r.ips()),
            r.pool() == null ? "-" : r.pool(),
            r.error() == null ? "" : r.error()
          });
    }
    int[] width = new int[3];
    for (String[] c : cells) {
      for (int i = 0; i < 3; i++) {
        width[i] = Math.max(width[i], c[i].length());
      }
    }
    for (String[] c : cells) {
      out.println(
          String.format(
                  "%-" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %s", (Object[]) c)
              .stripTrailing());
    }
  }
}
