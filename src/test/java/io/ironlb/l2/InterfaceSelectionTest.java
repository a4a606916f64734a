package io.ironlb.l2;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlb.l2.link.InterfaceSelection;
import io.ironlb.l2.link.InterfaceSelection.InterfaceInfo;
import io.ironlb.l2.link.InterfaceSelection.Responders;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InterfaceSelectionTest {

  @Test
  void metallbsChoice() {
    List<InterfaceInfo> ifs =
        List.of(
            new InterfaceInfo("lo", true, false, false, false, false),
            new InterfaceInfo("eth0", true, true, false, false, true),
            new InterfaceInfo("eth1", false, true, false, false, true),
            new InterfaceInfo("eth2", true, true, false, true, true),
            new InterfaceInfo("tun0", true, false, true, false, false),
            new InterfaceInfo("wg0", true, false, false, false, true),
            new InterfaceInfo("cali1234", true, true, false, false, true),
            new InterfaceInfo("eth3", true, true, false, false, false));
    Map<String, Responders> chosen = InterfaceSelection.select(ifs, Pattern.compile("^cali"));
    assertThat(chosen.keySet()).containsExactly("eth0", "wg0", "eth3");
    assertThat(chosen)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "eth0", new Responders(true, true),
                "wg0", new Responders(false, true),
                "eth3", new Responders(true, false)));
  }

  @Test
  void advertisementInterfacesNarrowTheChoice() {
    assertThat(InterfaceSelection.announcesOn("eth0", Set.of())).isTrue();
    assertThat(InterfaceSelection.announcesOn("eth0", Set.of("eth0"))).isTrue();
    assertThat(InterfaceSelection.announcesOn("eth1", Set.of("eth0"))).isFalse();
  }
}
