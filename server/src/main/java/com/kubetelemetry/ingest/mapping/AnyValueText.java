/** Flattens OTLP AnyValues to strings exactly as the Collector's ClickHouse exporter does (pcommon AsString). */
package com.kubetelemetry.ingest.mapping;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strings as they are, booleans "true"/"false", integers in decimal, doubles in their shortest form (ES6 style,
 * like Go's encoding/json), bytes as standard base64, arrays and key-value lists as compact JSON with sorted keys
 * (Go's json.Marshal of the raw value, including its HTML-safe escaping), and an empty value as "". A JSON value
 * holding a non-finite double cannot be marshalled and becomes "", as in the exporter. String values, also inside
 * arrays, are cut to {@code limit} chars when {@code limit > 0}.
 */
final class AnyValueText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private AnyValueText() {}

  /** Length {@code value} keeps under {@code limit} (0 = unlimited), never splitting a surrogate pair. */
  static int truncatedLength(String value, int limit) {
    if (limit <= 0 || value.length() <= limit) {
      return value.length();
    }
    return Character.isHighSurrogate(value.charAt(limit - 1)) ? limit - 1 : limit;
  }

  static String truncate(String value, int limit) {
    int end = truncatedLength(value, limit);
    return end == value.length() ? value : value.substring(0, end);
  }

  static String asString(AnyValue value, int limit) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> truncate(value.getStringValue(), limit);
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case INT_VALUE -> Long.toString(value.getIntValue());
      case DOUBLE_VALUE -> doubleAsString(value.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> {
        StringBuilder out = new StringBuilder(64);
        yield appendJson(out, value, limit) ? out.toString() : "";
      }
      // A string-table index only means something inside a profiles export; elsewhere it is treated as empty.
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> "";
    };
  }

  private static String doubleAsString(double value) {
    if (Double.isNaN(value)) {
      return "json: unsupported value: NaN";
    }
    if (Double.isInfinite(value)) {
      return "json: unsupported value: " + (value > 0 ? "+Inf" : "-Inf");
    }
    return formatDouble(value);
  }

  /** Go's float formatting for JSON: plain decimal, or exponent form below 1e-6 and from 1e21 on. */
  static String formatDouble(double value) {
    if (value == 0) {
      return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
    }
    BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    double abs = Math.abs(value);
    if (abs >= 1e-6 && abs < 1e21) {
      return decimal.toPlainString();
    }
    String digits = decimal.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - decimal.scale();
    StringBuilder out = new StringBuilder(digits.length() + 8);
    if (value < 0) {
      out.append('-');
    }
    out.append(digits.charAt(0));
    if (digits.length() > 1) {
      out.append('.').append(digits, 1, digits.length());
    }
    out.append('e').append(exponent < 0 ? '-' : '+');
    int magnitude = Math.abs(exponent);
    if (exponent > 0 && magnitude < 10) {
      out.append('0');
    }
    return out.append(magnitude).toString();
  }

  /** Appends {@code value} as Go's json.Marshal would; false when it holds a non-finite double. */
  private static boolean appendJson(StringBuilder out, AnyValue value, int limit) {
    switch (value.getValueCase()) {
      case STRING_VALUE -> appendJsonString(out, truncate(value.getStringValue(), limit));
      case BOOL_VALUE -> out.append(value.getBoolValue());
      case INT_VALUE -> out.append(value.getIntValue());
      case DOUBLE_VALUE -> {
        double d = value.getDoubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          return false;
        }
        out.append(formatDouble(d));
      }
      case BYTES_VALUE -> out.append('"')
          .append(Base64.getEncoder().encodeToString(value.getBytesValue().toByteArray())).append('"');
      case ARRAY_VALUE -> {
        out.append('[');
        List<AnyValue> values = value.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          if (!appendJson(out, values.get(i), limit)) {
            return false;
          }
        }
        out.append(']');
      }
      case KVLIST_VALUE -> {
        // The raw form is a Go map: the last duplicate key wins, and json.Marshal sorts keys by their bytes.
        Map<String, AnyValue> entries = new LinkedHashMap<>();
        for (KeyValue kv : value.getKvlistValue().getValuesList()) {
          entries.put(kv.getKey(), kv.getValue());
        }
        List<String> keys = new ArrayList<>(entries.keySet());
        keys.sort(AnyValueText::compareCodePoints);
        out.append('{');
        boolean first = true;
        for (String key : keys) {
          if (!first) {
            out.append(',');
          }
          first = false;
          appendJsonString(out, key);
          out.append(':');
          if (!appendJson(out, entries.get(key), 0)) {
            return false;
          }
        }
        out.append('}');
      }
      case STRING_VALUE_STRINDEX, VALUE_NOT_SET -> out.append("null");
    }
    return true;
  }

  /** Code-point order, which is the byte order of the UTF-8 encodings (Go sorts map keys that way). */
  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** A JSON string with Go's escaping: HTML-safe, \b \f \n \r \t short forms, other controls as \\u00xx. */
  private static void appendJsonString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> appendUnicodeEscape(out, c);
        default -> {
          if (c < 0x20) {
            appendUnicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            out.append("\\ufffd");
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
