/** Renders an {@link AttributeMatcher} to a boolean SQL expression over one signal table, values as parameters. */
package com.kubetelemetry.query;

import com.kubetelemetry.query.AttributeMatcher.Op;
import java.util.List;

/**
 * Map targets render as {@code mapContains(M, k)}, {@code M[k] = v}, {@code match(M[k], '^(?:' || re || ')$')},
 * {@code has(vs, M[k])}, {@code positionCaseInsensitiveUTF8(M[k], v) > 0}, {@code toFloat64OrNull(M[k]) > n};
 * fields as the same over their column. A missing map key reads as the empty string, so {@code EQ ""} also
 * matches rows without the key, and the negative operators match them too.
 */
public final class MatcherPredicate {
  public static final int MAX_KEY_LENGTH = 256;
  public static final int MAX_VALUE_LENGTH = 4096;
  public static final int MAX_REGEX_LENGTH = 1024;
  public static final int MAX_IN_VALUES = 256;

  private MatcherPredicate() {}

  /** The predicate for {@code m} on {@code table}; {@code field} is the matcher's request path, e.g. matchers[0]. */
  public static String render(AttributeMatcher m, SignalTable table, String field, SqlBuilder sql) {
    checkValues(m, field);
    return switch (m.target()) {
      case RESOURCE -> onMap(SignalTable.RESOURCE_MAP, m, field, sql);
      case ITEM -> onMap(table.itemMap(), m, field, sql);
      case SCOPE -> table.scopeMap() != null ? onMap(table.scopeMap(), m, field, sql)
          : onColumn(scopeField(m.key(), field), m, field, sql);
      case COLUMN -> onColumn(field(table, m.key(), field + ".key"), m, field, sql);
    };
  }

  /** The allow-listed field {@code name} of {@code table}, or INVALID_ARGUMENT at {@code path} listing the allowed. */
  static SignalTable.Field field(SignalTable table, String name, String path) {
    return table.field(name).orElseThrow(() -> QueryException.invalid(path, "unknown field `" + shorten(name)
        + "` for " + table.table() + ": use one of " + String.join(", ", table.fieldNames())));
  }

  /** Checks an attribute key and returns it (it is bound as a parameter by the caller). */
  static String mapKey(String key, String path) {
    if (key == null || key.isEmpty()) {
      throw QueryException.invalid(path, "`" + path + "` is empty: name the attribute");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw QueryException.invalid(path, "`" + path + "` is " + key.length() + " characters; the maximum is "
          + MAX_KEY_LENGTH);
    }
    return key;
  }

  private static String onMap(String map, AttributeMatcher m, String field, SqlBuilder sql) {
    String key = mapKey(m.key(), field + ".key");
    if (m.op() == Op.EXISTS || m.op() == Op.NOT_EXISTS) {
      String test = "mapContains(" + map + ", " + sql.param("String", key) + ")";
      return m.op() == Op.EXISTS ? test : "NOT " + test;
    }
    String value = map + "[" + sql.param("String", key) + "]";
    return compare(value, "String", m, field, sql);
  }

  private static String onColumn(SignalTable.Field column, AttributeMatcher m, String field, SqlBuilder sql) {
    String name = column.column();
    boolean text = column.isText();
    return switch (m.op()) {
      case EXISTS -> text ? name + " != ''" : name + " != 0";
      case NOT_EXISTS -> text ? name + " = ''" : name + " = 0";
      case REGEX, NOT_REGEX, CONTAINS, NOT_CONTAINS -> {
        if (!text) {
          throw QueryException.invalid(field + ".op", "field `" + column.name() + "` is a number: use EQ, NEQ, "
              + "IN, NOT_IN or a numeric comparison, not " + m.op());
        }
        yield compare(name, column.type(), m, field, sql);
      }
      default -> compare(name, column.type(), m, field, sql);
    };
  }

  private static String compare(String expr, String type, AttributeMatcher m, String field, SqlBuilder sql) {
    List<String> values = m.values();
    return switch (m.op()) {
      case EQ -> expr + " = " + sql.param(type, typed(values.getFirst(), type, field));
      case NEQ -> expr + " != " + sql.param(type, typed(values.getFirst(), type, field));
      case REGEX -> "match(" + expr + ", " + anchored(values.getFirst(), sql) + ")";
      case NOT_REGEX -> "NOT match(" + expr + ", " + anchored(values.getFirst(), sql) + ")";
      case IN -> "has(" + array(values, type, field, sql) + ", " + expr + ")";
      case NOT_IN -> "NOT has(" + array(values, type, field, sql) + ", " + expr + ")";
      case CONTAINS -> "positionCaseInsensitiveUTF8(" + expr + ", " + sql.param("String", values.getFirst()) + ") > 0";
      case NOT_CONTAINS -> "positionCaseInsensitiveUTF8(" + expr + ", " + sql.param("String", values.getFirst())
          + ") = 0";
      case GT, GE, LT, LE -> {
        String number = type.equals("String") ? "toFloat64OrNull(" + expr + ")" : expr;
        yield number + " " + symbol(m.op()) + " " + sql.param("Float64", number(values.getFirst(), field));
      }
      case EXISTS, NOT_EXISTS -> throw new IllegalStateException("handled by the caller");
    };
  }

  private static String anchored(String regex, SqlBuilder sql) {
    return "concat('^(?:', " + sql.param("String", regex) + ", ')$')";
  }

  private static String array(List<String> values, String type, String field, SqlBuilder sql) {
    return sql.param("Array(" + type + ")", values.stream().map(v -> typed(v, type, field)).toList());
  }

  private static String symbol(Op op) {
    return switch (op) {
      case GT -> ">";
      case GE -> ">=";
      case LT -> "<";
      case LE -> "<=";
      default -> throw new IllegalStateException(op.toString());
    };
  }

  private static Object typed(String value, String type, String field) {
    return switch (type) {
      case "String" -> value;
      case "Float64" -> number(value, field);
      default -> {
        try {
          long n = Long.parseLong(value.strip());
          if (n >= 0) {
            yield n;
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw QueryException.invalid(field + ".values", "`" + field + ".values` must be whole numbers >= 0 for "
            + "this field");
      }
    };
  }

  private static double number(String value, String field) {
    try {
      double d = Double.parseDouble(value.strip());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw QueryException.invalid(field + ".values", "`" + field + ".values` must be a finite number for this "
        + "comparison, e.g. 200 or 0.5");
  }

  private static void checkValues(AttributeMatcher m, String field) {
    String path = field + ".values";
    int n = m.values().size();
    switch (m.op()) {
      case EXISTS, NOT_EXISTS -> {
        if (n != 0) {
          throw QueryException.invalid(path, m.op() + " takes no values: remove `" + path + "`");
        }
      }
      case IN, NOT_IN -> {
        if (n == 0 || n > MAX_IN_VALUES) {
          throw QueryException.invalid(path, m.op() + " takes 1 to " + MAX_IN_VALUES + " values; `" + path
              + "` has " + n);
        }
      }
      default -> {
        if (n != 1) {
          throw QueryException.invalid(path, m.op() + " takes exactly one value; `" + path + "` has " + n);
        }
      }
    }
    for (String v : m.values()) {
      if (v.length() > MAX_VALUE_LENGTH) {
        throw QueryException.invalid(path, "a value in `" + path + "` is " + v.length()
            + " characters; the maximum is " + MAX_VALUE_LENGTH);
      }
    }
    if (m.op() == Op.REGEX || m.op() == Op.NOT_REGEX) {
      String re = m.values().getFirst();
      if (re.isEmpty() || re.length() > MAX_REGEX_LENGTH) {
        throw QueryException.invalid(path, "the regular expression in `" + path + "` must be 1 to "
            + MAX_REGEX_LENGTH + " characters; it is " + re.length());
      }
    }
  }

  private static SignalTable.Field scopeField(String key, String field) {
    if ("name".equals(key)) {
      return new SignalTable.Field("name", "ScopeName", "String");
    }
    if ("version".equals(key)) {
      return new SignalTable.Field("version", "ScopeVersion", "String");
    }
    throw QueryException.invalid(field + ".key", "spans carry no scope attributes, only the scope `name` and "
        + "`version`: use one of name, version");
  }

  /** A user-supplied name cut for an error message. */
  static String shorten(String s) {
    if (s == null) {
      return "";
    }
    String flat = s.replaceAll("[\\p{Cntrl}]", "?");
    return flat.length() <= 64 ? flat : flat.substring(0, 64) + "...";
  }
}
