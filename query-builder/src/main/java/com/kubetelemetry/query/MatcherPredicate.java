/** Renders an {@link AttributeMatcher} to a boolean SQL expression over one signal table, values as parameters. */
package com.kubetelemetry.query;

import com.kubetelemetry.query.AttributeMatcher.Op;
import java.util.List;

/**
 * Map targets render as {@code mapContains(M, k)}, {@code M[k] = v}, {@code match(M[k], re)},
 * {@code has(vs, M[k])}; columns as {@code C = v}, {@code match(C, re)}, {@code has(vs, C)}, {@code C != ''}.
 * A missing map key reads as the empty string, so {@code EQ ""} also matches rows without the key.
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
          : onColumn(scopeColumn(m.key(), field), "String", m, field, sql);
      case COLUMN -> {
        String type = m.key() == null ? null : table.columnTypes().get(m.key());
        if (type == null) {
          throw QueryException.invalid(field + ".key", "unknown column `" + shorten(m.key()) + "` for "
              + table.table() + ": use one of " + String.join(", ", table.columnNames()));
        }
        yield onColumn(m.key(), type, m, field, sql);
      }
    };
  }

  private static String onMap(String map, AttributeMatcher m, String field, SqlBuilder sql) {
    String key = m.key();
    if (key == null || key.isEmpty()) {
      throw QueryException.invalid(field + ".key", "`" + field + ".key` is empty: name the attribute to match");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw QueryException.invalid(field + ".key", "`" + field + ".key` is " + key.length()
          + " characters; the maximum is " + MAX_KEY_LENGTH);
    }
    if (m.op() == Op.EXISTS || m.op() == Op.NOT_EXISTS) {
      String test = "mapContains(" + map + ", " + sql.param("String", key) + ")";
      return m.op() == Op.EXISTS ? test : "NOT " + test;
    }
    String value = map + "[" + sql.param("String", key) + "]";
    return compare(value, "String", m, field, sql);
  }

  private static String onColumn(String column, String type, AttributeMatcher m, String field, SqlBuilder sql) {
    boolean text = type.equals("String");
    return switch (m.op()) {
      case EXISTS -> text ? column + " != ''" : column + " != 0";
      case NOT_EXISTS -> text ? column + " = ''" : column + " = 0";
      case REGEX, NOT_REGEX -> {
        if (!text) {
          throw QueryException.invalid(field + ".op", "column `" + column
              + "` is a number: use EQ, NEQ or IN, not a regular expression");
        }
        yield compare(column, type, m, field, sql);
      }
      default -> compare(column, type, m, field, sql);
    };
  }

  private static String compare(String expr, String type, AttributeMatcher m, String field, SqlBuilder sql) {
    List<String> values = m.values();
    return switch (m.op()) {
      case EQ -> expr + " = " + sql.param(type, typed(values.getFirst(), type, field));
      case NEQ -> expr + " != " + sql.param(type, typed(values.getFirst(), type, field));
      case REGEX -> "match(" + expr + ", " + sql.param("String", values.getFirst()) + ")";
      case NOT_REGEX -> "NOT match(" + expr + ", " + sql.param("String", values.getFirst()) + ")";
      case IN -> "has(" + sql.param("Array(" + type + ")",
          values.stream().map(v -> typed(v, type, field)).toList()) + ", " + expr + ")";
      case EXISTS, NOT_EXISTS -> throw new IllegalStateException("handled by the caller");
    };
  }

  private static Object typed(String value, String type, String field) {
    if (type.equals("String")) {
      return value;
    }
    try {
      long n = Long.parseLong(value.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw QueryException.invalid(field + ".values", "`" + field + ".values` must be whole numbers >= 0 for "
        + "this column");
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
      case IN -> {
        if (n == 0 || n > MAX_IN_VALUES) {
          throw QueryException.invalid(path, "IN takes 1 to " + MAX_IN_VALUES + " values; `" + path + "` has "
              + n);
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

  private static String scopeColumn(String key, String field) {
    if ("name".equals(key)) {
      return "ScopeName";
    }
    if ("version".equals(key)) {
      return "ScopeVersion";
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
