package io.ironlb.l2.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExcludeListTest {

  /** MetalLB's own metallb-excludel2 ConfigMap data (config/native/exclude-l2-config.yaml). */
  private static final String METALLB_DEFAULT =
      """
      announcedInterfacesToExclude: ["^docker.*", "^cbr.*", "^dummy.*", "^virbr.*", "^lxcbr.*", \
      "^veth.*", "^lo$", "^cali.*", "^tunl.*", "^flannel.*", "^kube-ipvs.*", "^cni.*", \
      "^nodelocaldns.*", "^lxc.*"]
      """;

  private static boolean excluded(Pattern p, String name) {
    return p != null && p.matcher(name).find();
  }

  @ParameterizedTest(name = "{0}: excluded by default {1}, by MetalLB''s default file {1}")
  @CsvSource({
    "eth0, false",
    "ens3, false",
    "bond0, false",
    "lxc_health, true",
    "lxc8f2c1e, true",
    "lxcbr0, true",
    "docker0, true",
    "veth12ab, true",
    "cali1234, true",
    "flannel.1, true",
    "kube-ipvs0, true",
    "cni0, true",
    "nodelocaldns, true",
    "lo, true",
    "loop0, false"
  })
  void defaultsAgreeWithMetalLbsList(String name, boolean excluded) {
    assertThat(excluded(ExcludeList.DEFAULT, name)).isEqualTo(excluded);
    assertThat(excluded(ExcludeList.parse(METALLB_DEFAULT), name)).isEqualTo(excluded);
  }

  @Test
  void aFileReplacesTheDefaultAndMatchesAnywhereInTheName() {
    Pattern p = ExcludeList.parse("announcedInterfacesToExclude: [\"eth1\", \"^bond.*\"]");
    assertThat(excluded(p, "eth1")).isTrue();
    assertThat(excluded(p, "eth10")).isTrue(); // unanchored, as Go's MatchString
    assertThat(excluded(p, "bond0")).isTrue();
    assertThat(excluded(p, "docker0")).isFalse();
    assertThat(ExcludeList.parse("announcedInterfacesToExclude: []")).isNull();
    assertThat(ExcludeList.parse("{}")).isNull();
  }

  @Test
  void badFilesNameTheFileTheFieldAndTheReason(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("excludel2.yaml");
    Files.writeString(file, "announcedInterfacesToExclude: [\"^ok.*\", \"^(bad\"]");
    assertThatThrownBy(() -> ExcludeList.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file + ": announcedInterfacesToExclude[1]: ^(bad")
        .hasMessageContaining("is not a regular expression");
    Files.writeString(file, "announcedInterfacesToExclude: \"^docker.*\"");
    assertThatThrownBy(() -> ExcludeList.load(file))
        .hasMessage(file + ": announcedInterfacesToExclude: must be a list of regexes");
    Files.writeString(file, "announcedInterfacesToExclude: [1]");
    assertThatThrownBy(() -> ExcludeList.load(file))
        .hasMessage(file + ": announcedInterfacesToExclude[0]: must be a string");
  }

  @Test
  void withoutAFileTheDefaultHolds(@TempDir Path dir) {
    assertThat(ExcludeList.load(dir.resolve("missing.yaml"))).isSameAs(ExcludeList.DEFAULT);
  }
}
