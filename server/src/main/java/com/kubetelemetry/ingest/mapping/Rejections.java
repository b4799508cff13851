/** Counts rejected items and keeps the first few distinct reasons, for OTLP's partial-success message. */
package com.kubetelemetry.ingest.mapping;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The message reads like "2 spans rejected: span 'GET /x' has a trace id of 5 bytes (must be 16); ...": the count,
 * then up to {@code maxProblems} distinct problems, then how many more kinds were left out.
 */
final class Rejections {
  private static final int MAX_NAME_CHARS = 80;

  private final String singular;
  private final String plural;
  private final int maxProblems;
  private final Set<String> problems = new LinkedHashSet<>();
  private long count;
  private final Set<String> unlisted = new HashSet<>();

  Rejections(String singular, String plural, int maxProblems) {
    this.singular = singular;
    this.plural = plural;
    this.maxProblems = maxProblems;
  }

  /** Records {@code items} rejected items for {@code problem}. */
  void reject(long items, String problem) {
    count += items;
    if (problems.size() < maxProblems) {
      problems.add(problem);
    } else if (!problems.contains(problem) && unlisted.size() < 10_000) {
      unlisted.add(problem);
    }
  }

  long count() {
    return count;
  }

  String message() {
    if (count == 0) {
      return "";
    }
    StringBuilder out = new StringBuilder(128).append(count).append(' ').append(count == 1 ? singular : plural)
        .append(" rejected: ").append(String.join("; ", problems));
    if (!unlisted.isEmpty()) {
      int more = unlisted.size();
      out.append("; and ").append(more).append(more == 1 ? " more problem" : " more problems");
    }
    return out.toString();
  }

  /** A name quoted for a message, shortened when long. */
  static String quote(String name) {
    String shown = name.length() > MAX_NAME_CHARS ? name.substring(0, MAX_NAME_CHARS) + "..." : name;
    return "'" + shown + "'";
  }
}
