/** How many rows a structured query method returns by default and at most (Query and StreamQuery differ). */
package com.kubetelemetry.query.structured;

/**
 * @param method method name for messages, e.g. "Query"
 * @param defaultLimit rows returned when the query's limit is 0
 * @param maxLimit the highest limit a query may ask for
 */
public record RowBudget(String method, int defaultLimit, int maxLimit) {
  /** Query: 100 rows by default, at most 10,000. */
  public static final RowBudget QUERY = new RowBudget("Query", 100, 10_000);
  /** StreamQuery: 10,000 rows by default, at most 1,000,000. */
  public static final RowBudget STREAM = new RowBudget("StreamQuery", 10_000, 1_000_000);

  public RowBudget {
    if (defaultLimit <= 0 || maxLimit < defaultLimit) {
      throw new IllegalArgumentException("need 0 < defaultLimit <= maxLimit: " + defaultLimit + ", " + maxLimit);
    }
  }
}
