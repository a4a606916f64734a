package io.ironlb.l2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Frames captured from real peers, stored as test resources (name, hex per line). */
public final class Captures {
  private Captures() {}

  public static Map<String, byte[]> load(String resource) {
    try (InputStream in = Captures.class.getResourceAsStream("/captures/" + resource)) {
      Map<String, byte[]> frames = new LinkedHashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.trim().split("\\s+");
        frames.put(parts[0], HexFormat.of().parseHex(parts[1]));
      }
      return frames;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
