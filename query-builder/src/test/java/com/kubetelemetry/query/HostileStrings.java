/** Hostile text for the query builders' property tests: what every string field of a request must survive. */
package com.kubetelemetry.query;

import java.util.Random;

/**
 * Random strings mixing SQL and placeholder syntax, quotes, backslashes, LIKE wildcards, NUL, line breaks (blank
 * lines included), non-BMP characters, unpaired surrogates and lengths from 0 to 5,000 characters.
 */
public final class HostileStrings {
  private static final String ALPHABET = "'\"`\\{}:;,()[]-/*%_\n\r\t \0xyzé日😀\u2028\u00a0=<>$?#";

  private HostileStrings() {}

  /** One random hostile string; a fixed seed gives a fixed sequence. */
  public static String random(Random random) {
    int length = switch (random.nextInt(4)) {
      case 0 -> random.nextInt(4);
      case 1 -> random.nextInt(40);
      case 2 -> random.nextInt(400);
      default -> 1000 + random.nextInt(4000);
    };
    StringBuilder sb = new StringBuilder();
    while (sb.length() < length) {
      if (random.nextInt(10) == 0) {
        sb.append((char) random.nextInt(0x10000));
      } else {
        sb.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0,
            random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
      }
    }
    return sb.toString();
  }

  /** {@code s} cut to at most {@code max} characters (a field's length limit). */
  public static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
