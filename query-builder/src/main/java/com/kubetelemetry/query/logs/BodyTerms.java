/** Finds the words of a body search term that the token index on lower(Body) can use to skip granules. */
package com.kubetelemetry.query.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A term matches as a case-insensitive substring, so only its inner words are whole tokens of every body that
 * contains it: in "o world-x" the word "world" is bounded by separators on both sides, while "o" and "x" may be
 * the ends of longer words. The engine's tokenizer (the tokenbf_v1 index and hasToken) splits at every ASCII
 * character that is not a letter or digit; bytes of non-ASCII characters belong to tokens. Only inner words made
 * of ASCII letters and digits are returned, lowercased: the index is built on {@code lower(Body)}, which folds
 * ASCII only, and an ASCII needle letter matches only its two ASCII cases in the exact test
 * (positionCaseInsensitiveUTF8), so {@code hasToken(lower(Body), word)} holds for every matching record.
 */
public final class BodyTerms {
  private BodyTerms() {}

  /** The distinct inner ASCII words of {@code term}, lowercased, in order of appearance. */
  public static List<String> indexWords(String term) {
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = term.length();
    while (i < n) {
      if (!isTokenChar(term.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      boolean ascii = true;
      while (i < n && isTokenChar(term.charAt(i))) {
        ascii &= term.charAt(i) < 0x80;
        i++;
      }
      boolean inner = start > 0 && i < n;
      if (inner && ascii) {
        String word = term.substring(start, i).toLowerCase(Locale.ROOT);
        if (!words.contains(word)) {
          words.add(word);
        }
      }
    }
    return words;
  }

  /** True for characters the engine's tokenizer keeps inside a token. */
  static boolean isTokenChar(char c) {
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
