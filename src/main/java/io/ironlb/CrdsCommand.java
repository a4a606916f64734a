package io.ironlb;

import io.ironlb.config.CrdGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ironlb crds DIR}: writes the CRDs generated from the model (deploy/k8s/crds). */
@Command(
    name = "crds",
    mixinStandardHelpOptions = true,
    description = "Writes the metallb.io CustomResourceDefinitions, generated from IronLB's model.")
final class CrdsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "Directory to write into.")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, String> f : CrdGenerator.generate().entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
      spec.commandLine().getOut().println("wrote " + dir.resolve(f.getKey()));
    }
    return 0;
  }
}
