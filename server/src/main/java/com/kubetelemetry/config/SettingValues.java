/** Parsers for the kinds of values settings hold: sizes ("64MiB"), durations ("200ms"), ports, bounded numbers. */
package com.kubetelemetry.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each parser takes the raw value (a YAML scalar or an environment string) and returns the typed value, or throws
 * {@link IllegalArgumentException} with a message of the form "expected ..., got '...'" that the loader prefixes
 * with the setting's name.
 */
final class SettingValues {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
  private static final Map<String, Long> SIZE_UNITS = Map.ofEntries(
      Map.entry("b", 1L),
      Map.entry("k", 1L << 10), Map.entry("kb", 1L << 10), Map.entry("kib", 1L << 10), Map.entry("ki", 1L << 10),
      Map.entry("m", 1L << 20), Map.entry("mb", 1L << 20), Map.entry("mib", 1L << 20), Map.entry("mi", 1L << 20),
      Map.entry("g", 1L << 30), Map.entry("gb", 1L << 30), Map.entry("gib", 1L << 30), Map.entry("gi", 1L << 30),
      Map.entry("t", 1L << 40), Map.entry("tb", 1L << 40), Map.entry("tib", 1L << 40), Map.entry("ti", 1L << 40));

  /** Turns a raw value into a typed one or throws IllegalArgumentException("expected ..., got '...'"). */
  @FunctionalInterface
  interface Parser {
    Object parse(Object raw);
  }

  private SettingValues() {}

  static Parser integer(long min, long max) {
    return raw -> {
      long value = wholeNumber(raw, "a whole number in " + min + ".." + max);
      if (value < min || value > max) {
        throw expected("a whole number in " + min + ".." + max, raw);
      }
      return (int) value;
    };
  }

  /** Like {@link #integer} but for counts that may exceed an int. */
  static Parser count(long min, long max) {
    return raw -> {
      long value = wholeNumber(raw, "a whole number in " + min + ".." + max);
      if (value < min || value > max) {
        throw expected("a whole number in " + min + ".." + max, raw);
      }
      return value;
    };
  }

  static Parser port(boolean allowDisabled) {
    String what = allowDisabled ? "a port 0..65535 (0 = any free port, -1 = disabled)" : "a port 0..65535 (0 = any free port)";
    long min = allowDisabled ? -1 : 0;
    return raw -> {
      long value = wholeNumber(raw, what);
      if (value < min || value > 65535) {
        throw expected(what, raw);
      }
      return (int) value;
    };
  }

  static Parser size(long max) {
    String what = "a positive size like 64MiB";
    return raw -> {
      long bytes;
      if (raw instanceof Integer || raw instanceof Long) {
        bytes = ((Number) raw).longValue();
      } else if (raw instanceof String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
          throw expected(what, raw);
        }
        long unit = m.group(2) == null ? 1 : SIZE_UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        try {
          bytes = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
          throw expected(what + " up to " + max + " bytes", raw);
        }
      } else {
        throw expected(what, raw);
      }
      if (bytes <= 0) {
        throw expected(what, raw);
      }
      if (bytes > max) {
        throw expected(what + " up to " + max + " bytes", raw);
      }
      return bytes;
    };
  }

  static Parser duration(boolean allowZero) {
    String what = allowZero ? "a duration like 200ms or 30s" : "a positive duration like 200ms or 30s";
    return raw -> {
      if (!(raw instanceof String text)) {
        throw expected(what, raw);
      }
      Matcher m = DURATION.matcher(text.strip());
      if (!m.matches()) {
        throw expected(what, raw);
      }
      long amount;
      try {
        amount = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw expected(what, raw);
      }
      Duration d = switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
      if (d.isZero() && !allowZero) {
        throw expected(what, raw);
      }
      return d;
    };
  }

  static Parser bool() {
    return raw -> {
      if (raw instanceof Boolean b) {
        return b;
      }
      if (raw instanceof String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
          return true;
        }
        if (t.equals("false")) {
          return false;
        }
      }
      throw expected("true or false", raw);
    };
  }

  /** Any text (numbers written without quotes in YAML are accepted as their text). */
  static Parser text(boolean allowBlank) {
    return raw -> {
      if (raw instanceof String || raw instanceof Number) {
        String value = raw.toString().strip();
        if (value.isEmpty() && !allowBlank) {
          throw expected("a non-empty text", raw);
        }
        return value;
      }
      throw expected(allowBlank ? "a text" : "a non-empty text", raw);
    };
  }

  /** A name from a small set: "json" or "text" for example. */
  static Parser oneOf(List<String> allowed) {
    return raw -> {
      if (raw instanceof String text && allowed.contains(text.strip().toLowerCase(Locale.ROOT))) {
        return text.strip().toLowerCase(Locale.ROOT);
      }
      throw expected("one of " + String.join(", ", allowed), raw);
    };
  }

  /** A YAML list of texts, or one comma-separated text (how environment variables carry lists). */
  static Parser textList() {
    return raw -> {
      List<String> out = new ArrayList<>();
      if (raw instanceof String text) {
        for (String part : text.split(",")) {
          if (!part.isBlank()) {
            out.add(part.strip());
          }
        }
        return List.copyOf(out);
      }
      if (raw instanceof List<?> list) {
        for (Object item : list) {
          if (!(item instanceof String text) || text.isBlank()) {
            throw expected("a list of non-empty texts", raw);
          }
          out.add(text.strip());
        }
        return List.copyOf(out);
      }
      throw expected("a list of texts or a comma-separated text", raw);
    };
  }

  /** A storage url: {@code embedded:<dir>}, {@code jdbc:clickhouse://...} or {@code http(s)://...}. */
  static Parser storageUrl() {
    String what = "embedded:<data directory>, jdbc:clickhouse://host:8123/db or http(s)://host:8123";
    return raw -> {
      if (raw instanceof String text) {
        String url = text.strip();
        boolean embedded = url.startsWith("embedded:") && url.length() > "embedded:".length();
        boolean remote = url.startsWith("jdbc:clickhouse://") || url.startsWith("jdbc:ch://")
            || url.startsWith("http://") || url.startsWith("https://");
        if (embedded || remote) {
          return url;
        }
      }
      throw expected(what, raw);
    };
  }

  private static long wholeNumber(Object raw, String what) {
    if (raw instanceof Integer || raw instanceof Long) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof String text) {
      try {
        return Long.parseLong(text.strip());
      } catch (NumberFormatException e) {
        throw expected(what, raw);
      }
    }
    throw expected(what, raw);
  }

  static IllegalArgumentException expected(String what, Object raw) {
    String shown = raw instanceof List<?> || raw instanceof Map<?, ?> ? raw.toString() : String.valueOf(raw);
    if (shown.length() > 80) {
      shown = shown.substring(0, 77) + "...";
    }
    return new IllegalArgumentException("expected " + what + ", got '" + shown + "'");
  }
}
