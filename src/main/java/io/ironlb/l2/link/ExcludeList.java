package io.ironlb.l2.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The interfaces a speaker never answers on unless named with {@code --interfaces}: the list
 * MetalLB's {@code metallb-excludel2} ConfigMap holds by default (container bridges and veths,
 * Calico, Flannel, Cilium's {@code lxc*}, IPVS, node-local DNS), plus tunnels and virtual devices
 * that never face clients. A file in MetalLB's format ({@code excludel2.yaml}: {@code
 * announcedInterfacesToExclude: [regex, ...]}) replaces it, as it does in MetalLB; each pattern is
 * matched anywhere in the name, as Go's {@code MatchString} does.
 */
public final class ExcludeList {
  private ExcludeList() {}

  public static final Pattern DEFAULT =
      Pattern.compile(
          "^(docker|cbr|dummy|virbr|lxc|veth|cali|tunl|flannel|kube-ipvs|cni|nodelocaldns|vti"
              + "|vxlan|gre|gretap|erspan|ip6gre|ip6tnl|ip6_vti|sit|genev_sys).*|^lo$"
              + "|^ovs-system$");

  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * The patterns of an {@code excludel2.yaml}, as one; null when the list is empty (nothing
   * excluded, as in MetalLB).
   *
   * @throws IllegalArgumentException naming the field and the reason
   */
  public static Pattern parse(String yaml) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not YAML: " + e.getOriginalMessage(), e);
    }
    JsonNode list = root == null ? null : root.get("announcedInterfacesToExclude");
    if (list == null || list.isNull()) {
      return null;
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException("announcedInterfacesToExclude: must be a list of regexes");
    }
    List<String> alternatives = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (!item.isTextual()) {
        throw new IllegalArgumentException(
            "announcedInterfacesToExclude[" + i + "]: must be a string");
      }
      try {
        Pattern.compile(item.asText());
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "announcedInterfacesToExclude["
                + i
                + "]: "
                + item.asText()
                + " is not a regular expression ("
                + e.getDescription()
                + ")",
            e);
      }
      alternatives.add("(" + item.asText() + ")");
    }
    return alternatives.isEmpty() ? null : Pattern.compile(String.join("|", alternatives));
  }

  /**
   * The list from {@code file}, or {@link #DEFAULT} when there is no such file.
   *
   * @throws IllegalArgumentException naming the file, the field and the reason
   */
  public static Pattern load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return DEFAULT;
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
