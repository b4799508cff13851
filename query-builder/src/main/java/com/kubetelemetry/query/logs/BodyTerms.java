/** Turns a body search term into a LIKE pattern over lower(Body) that the token bloom-filter index can use. */
package com.kubetelemetry.query.logs;

/**
 * A term matches as a case-insensitive substring ({@code positionCaseInsensitiveUTF8(Body, term) > 0}), which no
 * index serves. Every such record also satisfies {@code lower(Body) LIKE pattern} with the pattern built here,
 * and the {@code lower(Body)} tokenbf_v1 index evaluates that LIKE: it skips granules lacking any word of the term
 * that lies between separators (in "o world-x" the words "world" and "x"; "o" may be the end of a longer word).
 * The pattern is the term with ASCII letters lowercased (the engine's {@code lower} folds ASCII only), LIKE's
 * special characters escaped, and every run of non-ASCII characters replaced by {@code %}, since their case may
 * differ in the body; an ASCII letter of the term matches only its two ASCII cases, so the implication holds.
 * Because the shape of the SQL never depends on the term, only parameter values do.
 */
public final class BodyTerms {
  private BodyTerms() {}

  /** {@code %term%} for {@code lower(Body) LIKE}, as described above. */
  public static String likePattern(String term) {
    StringBuilder sb = new StringBuilder(term.length() + 2).append('%');
    for (int i = 0; i < term.length(); i++) {
      char c = term.charAt(i);
      if (c >= 0x80) {
        if (sb.charAt(sb.length() - 1) != '%' || endsEscaped(sb)) {
          sb.append('%');
        }
      } else if (c == '%' || c == '_' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c >= 'A' && c <= 'Z') {
        sb.append((char) (c + ('a' - 'A')));
      } else {
        sb.append(c);
      }
    }
    if (sb.charAt(sb.length() - 1) != '%' || endsEscaped(sb)) {
      sb.append('%');
    }
    return sb.toString();
  }

  /** True when the builder ends with an escaped character (a literal %, _ or backslash). */
  private static boolean endsEscaped(StringBuilder sb) {
    int backslashes = 0;
    for (int i = sb.length() - 2; i >= 0 && sb.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }
}
