package io.ironlb;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/development.md: data flows downward (each layer may import only the
 * layers below it) and no two packages import each other, directly or round a cycle.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMain() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ironlb");
  }

  @Test
  void noPackageCycles() {
    ArchRule rule = slices().matching("io.ironlb.(**)").should().beFreeOfCycles();
    rule.check(classes);
  }

  @Test
  void dataFlowsDownward() {
    ArchRule rule =
        Architectures.layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("commands")
            .definedBy("io.ironlb")
            .layer("http")
            .definedBy("io.ironlb.http..")
            .layer("webhook")
            .definedBy("io.ironlb.webhook..")
            .layer("node")
            .definedBy("io.ironlb.node..")
            .layer("l2")
            .definedBy("io.ironlb.l2")
            .layer("bgp")
            .definedBy("io.ironlb.bgp", "io.ironlb.bgp.bfd..", "io.ironlb.bgp.session..")
            .layer("adapters")
            .definedBy("io.ironlb.source.kubernetes..", "io.ironlb.source.files..")
            .layer("ipam")
            .definedBy("io.ironlb.ipam..")
            .layer("source")
            .definedBy("io.ironlb.source")
            .layer("serving")
            .definedBy("io.ironlb.serving..")
            .layer("codecs")
            .definedBy("io.ironlb.l2.link..", "io.ironlb.l2.arp..", "io.ironlb.l2.ndp..")
            .layer("bgp wire")
            .definedBy("io.ironlb.bgp.wire..")
            .layer("config")
            .definedBy("io.ironlb.config..")
            .layer("plumbing")
            .definedBy("io.ironlb.net..", "io.ironlb.metrics..", "io.ironlb.cluster..")
            .whereLayer("commands")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("http")
            .mayOnlyBeAccessedByLayers("commands")
            .whereLayer("webhook")
            .mayOnlyBeAccessedByLayers("commands")
            .whereLayer("node")
            .mayOnlyBeAccessedByLayers("commands", "http")
            .whereLayer("l2")
            .mayOnlyBeAccessedByLayers("commands", "http", "node")
            .whereLayer("bgp")
            .mayOnlyBeAccessedByLayers("commands", "http", "node")
            .whereLayer("adapters")
            .mayOnlyBeAccessedByLayers("commands")
            .whereLayer("ipam")
            .mayOnlyBeAccessedByLayers("commands", "http", "node", "l2", "bgp", "adapters")
            .whereLayer("source")
            .mayOnlyBeAccessedByLayers("commands", "http", "node", "l2", "bgp", "adapters", "ipam")
            .whereLayer("serving")
            .mayOnlyBeAccessedByLayers("commands", "http", "node", "l2", "bgp")
            .whereLayer("codecs")
            .mayOnlyBeAccessedByLayers("commands", "node", "l2", "bgp")
            .whereLayer("bgp wire")
            .mayOnlyBeAccessedByLayers("commands", "http", "bgp")
            .whereLayer("config")
            .mayOnlyBeAccessedByLayers(
                "commands",
                "http",
                "webhook",
                "node",
                "l2",
                "bgp",
                "adapters",
                "ipam",
                "source",
                "serving")
            .whereLayer("plumbing")
            .mayOnlyBeAccessedByLayers(
                "commands",
                "http",
                "webhook",
                "node",
                "l2",
                "bgp",
                "adapters",
                "ipam",
                "source",
                "serving",
                "codecs",
                "bgp wire",
                "config");
    rule.check(classes);
  }
}
