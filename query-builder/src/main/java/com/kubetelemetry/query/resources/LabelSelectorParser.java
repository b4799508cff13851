/** Parses Kubernetes label selector text ({@code app=web,tier in (a,b),!canary}) into requirements. */
package com.kubetelemetry.query.resources;

import com.kubetelemetry.query.QueryException;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the Kubernetes syntax: requirements separated by commas; {@code key=value}, {@code key==value},
 * {@code key!=value}, {@code key in (v1,v2)}, {@code key notin (v1,v2)}, {@code key} (exists) and {@code !key}
 * (absent). Keys are an optional DNS prefix and {@code /}, then a name of letters, digits, {@code -_.}; values are
 * letters, digits and {@code -_.} (possibly empty for {@code =} and {@code !=}). Whitespace around tokens is ignored.
 * Errors are INVALID_ARGUMENT naming {@code field} and the 1-based character position. Pure and thread-safe.
 */
public final class LabelSelectorParser {
  public static final int MAX_LENGTH = 4096;
  public static final int MAX_REQUIREMENTS = 64;
  public static final int MAX_VALUE_LENGTH = 63;
  public static final int MAX_KEY_LENGTH = 316;

  private final String field;
  private final String text;
  private int pos;

  private LabelSelectorParser(String field, String text) {
    this.field = field;
    this.text = text;
  }

  /** The requirements of {@code selector} (empty for a blank selector); {@code field} names it in errors. */
  public static List<LabelRequirement> parse(String selector, String field) {
    if (selector.length() > MAX_LENGTH) {
      throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, "`" + field + "` is "
          + selector.length() + " characters; the maximum is " + MAX_LENGTH);
    }
    return new LabelSelectorParser(field, selector).requirements();
  }

  private List<LabelRequirement> requirements() {
    List<LabelRequirement> out = new ArrayList<>();
    skipSpace();
    if (pos == text.length()) {
      return out;
    }
    while (true) {
      out.add(requirement());
      if (out.size() > MAX_REQUIREMENTS) {
        throw error("has more than " + MAX_REQUIREMENTS + " requirements");
      }
      skipSpace();
      if (pos == text.length()) {
        return out;
      }
      expect(',', "expected ',' between requirements");
      skipSpace();
    }
  }

  private LabelRequirement requirement() {
    if (peek() == '!') {
      pos++;
      skipSpace();
      String key = key();
      skipSpace();
      if (pos < text.length() && text.charAt(pos) != ',') {
        throw error("expected ',' or the end after '!" + key + "'");
      }
      return new LabelRequirement(key, LabelRequirement.Op.NOT_EXISTS, List.of());
    }
    String key = key();
    skipSpace();
    if (pos == text.length() || peek() == ',') {
      return new LabelRequirement(key, LabelRequirement.Op.EXISTS, List.of());
    }
    char c = peek();
    if (c == '=') {
      pos++;
      if (peek() == '=') {
        pos++;
      }
      return new LabelRequirement(key, LabelRequirement.Op.EQUALS, List.of(singleValue()));
    }
    if (c == '!') {
      pos++;
      expect('=', "expected '=' after '!'");
      return new LabelRequirement(key, LabelRequirement.Op.NOT_EQUALS, List.of(singleValue()));
    }
    if (text.startsWith("notin", pos) && boundaryAfter(pos + 5)) {
      pos += 5;
      return new LabelRequirement(key, LabelRequirement.Op.NOT_IN, valueSet());
    }
    if (text.startsWith("in", pos) && boundaryAfter(pos + 2)) {
      pos += 2;
      return new LabelRequirement(key, LabelRequirement.Op.IN, valueSet());
    }
    throw error("expected '=', '==', '!=', 'in', 'notin', ',' or the end after the key '" + key + "'");
  }

  private boolean boundaryAfter(int at) {
    return at == text.length() || text.charAt(at) == ' ' || text.charAt(at) == '(' || text.charAt(at) == '\t';
  }

  private String singleValue() {
    skipSpace();
    return value();
  }

  private List<String> valueSet() {
    skipSpace();
    expect('(', "expected '(' to start the value list");
    List<String> values = new ArrayList<>();
    while (true) {
      skipSpace();
      int start = pos;
      String v = value();
      if (v.isEmpty()) {
        pos = start;
        throw error("expected a value");
      }
      values.add(v);
      skipSpace();
      if (peek() == ')') {
        pos++;
        return values;
      }
      expect(',', "expected ',' or ')' in the value list");
    }
  }

  private String key() {
    int start = pos;
    while (pos < text.length() && keyChar(text.charAt(pos))) {
      pos++;
    }
    if (pos == start) {
      throw error("expected a label key");
    }
    String key = text.substring(start, pos);
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if ((slash >= 0 && (slash == 0 || key.indexOf('/', slash + 1) >= 0)) || name.isEmpty() || name.length() > 63
        || !alnum(name.charAt(0)) || !alnum(name.charAt(name.length() - 1)) || key.length() > MAX_KEY_LENGTH) {
      pos = start;
      throw error("'" + key + "' is not a valid label key (optional prefix and '/', then up to 63 letters, "
          + "digits, '-', '_' or '.', starting and ending with a letter or digit)");
    }
    return key;
  }

  private String value() {
    int start = pos;
    while (pos < text.length() && valueChar(text.charAt(pos))) {
      pos++;
    }
    String v = text.substring(start, pos);
    if (v.length() > MAX_VALUE_LENGTH || (!v.isEmpty() && (!alnum(v.charAt(0)) || !alnum(v.charAt(v.length() - 1))))) {
      pos = start;
      throw error("'" + v + "' is not a valid label value (up to 63 letters, digits, '-', '_' or '.', starting and "
          + "ending with a letter or digit)");
    }
    return v;
  }

  private void expect(char c, String message) {
    if (peek() != c) {
      throw error(message);
    }
    pos++;
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipSpace() {
    while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private QueryException error(String message) {
    String found = pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end";
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, "`" + field + "` is not a valid label "
        + "selector at character " + (pos + 1) + " (found " + found + "): " + message);
  }

  private static boolean alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  private static boolean valueChar(char c) {
    return alnum(c) || c == '-' || c == '_' || c == '.';
  }

  private static boolean keyChar(char c) {
    return valueChar(c) || c == '/';
  }
}
