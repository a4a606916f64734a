package io.ironlb.l2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks the nodes that may announce an address on layer 2. The order is MetalLB's (its
 * sortL2Candidates): the highest summed preferred-node weight first, then sha256(node + "#" + ip)
 * ascending — the same on every node, with no coordination. The sticky spread ({@link
 * VipState.Spread#STICKY}) passes the current owner, which then stays first while it is still a
 * candidate.
 */
public final class Election {
  private Election() {}

  /**
   * @param candidates eligible nodes, in any order
   * @param ip the address (the first one of a dual-stack Service, as MetalLB)
   * @param scores preferred-node weights; missing nodes score 0
   * @param owner the current owner, or null
   */
  public static List<String> rank(
      Collection<String> candidates, String ip, Map<String, Long> scores, String owner) {
    Map<String, byte[]> hashes = new HashMap<>();
    for (String c : candidates) {
      hashes.put(c, sha256(c + "#" + ip));
    }
    List<String> ranked = new ArrayList<>(candidates);
    ranked.sort(
        Comparator.comparing((String n) -> !n.equals(owner))
            .thenComparing((String n) -> -scores.getOrDefault(n, 0L))
            .thenComparing(hashes::get, Arrays::compareUnsigned));
    return ranked;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }
}
