/** Renders bound parameter values as the escaped text the engine parses for each {name:Type} placeholder. */
package com.kubetelemetry.storage.chdb;

import com.kubetelemetry.sql.Param;
import com.kubetelemetry.storage.RenderedParamValue;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * chDB parses parameter values as TSV-escaped text (CHDB.md, hazard 4): a raw tab or newline fails, and a NUL
 * would cut the C string short, so they are escaped here. Integers are range-checked in Java because the engine
 * silently wraps an out-of-range value ({x:UInt8} = 300 becomes 44).
 */
public final class ParamText {
  private ParamText() {}

  /** The escaped text the engine parses for {@code param}'s placeholder. */
  public static String render(Param param) {
    if (param.value() instanceof RenderedParamValue rendered) {
      return rendered.text();
    }
    String type = stripWrappers(param.type());
    Object value = param.value();
    try {
      // Arrays and maps are parsed as literals whose quoted elements carry their own escapes; scalars are one
      // escaped field.
      boolean composite = type.startsWith("Array(") || type.startsWith("Map(");
      return composite ? renderValue(type, value) : escapeField(renderValue(type, value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("parameter " + param.name() + ": " + e.getMessage(), e);
    }
  }

  private static String renderValue(String type, Object value) {
    if (type.startsWith("Array(")) {
      String element = stripWrappers(type.substring(6, type.length() - 1));
      if (!(value instanceof List<?> list)) {
        throw new IllegalArgumentException("type " + type + " needs a List, got " + value.getClass().getSimpleName());
      }
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(literal(element, list.get(i)));
      }
      return sb.append(']').toString();
    }
    if (type.startsWith("Map(")) {
      if (!(value instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("type " + type + " needs a Map");
      }
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (var e : map.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append(quote(String.valueOf(e.getKey()))).append(':').append(quote(String.valueOf(e.getValue())));
      }
      return sb.append('}').toString();
    }
    return scalar(type, value);
  }

  /** An element inside an Array: strings and times are quoted, numbers are not. */
  private static String literal(String type, Object value) {
    String text = scalar(type, value);
    return isQuoted(type) ? quote(text) : text;
  }

  private static boolean isQuoted(String type) {
    return type.equals("String") || type.startsWith("FixedString") || type.startsWith("DateTime")
        || type.equals("Date") || type.equals("Date32") || type.equals("UUID") || type.startsWith("Enum");
  }

  private static String scalar(String type, Object value) {
    if (type.startsWith("DateTime64") || type.startsWith("DateTime")) {
      return value instanceof Instant instant ? epochText(instant) : String.valueOf(value);
    }
    if (INT_RANGES.containsKey(type)) {
      BigInteger v = switch (value) {
        case Long l -> BigInteger.valueOf(l);
        case Integer i -> BigInteger.valueOf(i);
        case Short s -> BigInteger.valueOf(s);
        case Byte b -> BigInteger.valueOf(b);
        case BigInteger b -> b;
        default -> throw new IllegalArgumentException("type " + type + " needs an integer, got " + value);
      };
      BigInteger[] range = INT_RANGES.get(type);
      if (v.compareTo(range[0]) < 0 || v.compareTo(range[1]) > 0) {
        throw new IllegalArgumentException(v + " is outside the range of " + type);
      }
      return v.toString();
    }
    if (type.equals("Float64") || type.equals("Float32")) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d)) {
        return "nan";
      }
      if (Double.isInfinite(d)) {
        return d > 0 ? "inf" : "-inf";
      }
      return Double.toString(d);
    }
    if (type.equals("Bool")) {
      if (!(value instanceof Boolean b)) {
        throw new IllegalArgumentException("type Bool needs a Boolean");
      }
      return b ? "true" : "false";
    }
    return String.valueOf(value);
  }

  /** Seconds since the epoch with nine decimals: exact for DateTime64(9) and independent of the engine's zone. */
  static String epochText(Instant instant) {
    long seconds = instant.getEpochSecond();
    int nanos = instant.getNano();
    if (seconds < 0) {
      throw new IllegalArgumentException("time before 1970 is not supported: " + instant);
    }
    return seconds + "." + String.format("%09d", nanos);
  }

  /** A single-quoted SQL literal, for values inside arrays and maps. */
  private static String quote(String s) {
    return "'" + escapeField(s).replace("'", "\\'") + "'";
  }

  /** TSV escaping of the whole field: backslash, control characters and NUL. */
  private static String escapeField(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String replacement = switch (c) {
        case '\\' -> "\\\\";
        case '\t' -> "\\t";
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\0' -> "\\0";
        case '\b' -> "\\b";
        case '\f' -> "\\f";
        default -> null;
      };
      if (replacement != null && sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (sb != null) {
        if (replacement != null) {
          sb.append(replacement);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static String stripWrappers(String type) {
    String t = type.strip();
    for (String wrapper : List.of("LowCardinality(", "Nullable(")) {
      if (t.startsWith(wrapper) && t.endsWith(")")) {
        return stripWrappers(t.substring(wrapper.length(), t.length() - 1));
      }
    }
    return t;
  }

  private static final Map<String, BigInteger[]> INT_RANGES = Map.of(
      "UInt8", range(0, 255), "UInt16", range(0, 65535), "UInt32", range(0, 4294967295L),
      "UInt64", new BigInteger[] {BigInteger.ZERO, BigInteger.TWO.pow(64).subtract(BigInteger.ONE)},
      "Int8", range(-128, 127), "Int16", range(-32768, 32767),
      "Int32", range(Integer.MIN_VALUE, Integer.MAX_VALUE), "Int64", range(Long.MIN_VALUE, Long.MAX_VALUE));

  private static BigInteger[] range(long min, long max) {
    return new BigInteger[] {BigInteger.valueOf(min), BigInteger.valueOf(max)};
  }
}
