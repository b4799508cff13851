/** A structured query as plain data: what to select from one signal, filters, grouping, buckets, order, limit. */
package com.kubetelemetry.query.structured;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeRef;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Validated when compiled by {@link StructuredQueryCompiler}. Null lists read as empty; {@code timeBucket} null
 * means no buckets; {@code limit} 0 means the caller's default.
 *
 * @param signal the signal read (required)
 * @param select output columns in order
 * @param filters conditions every row meets
 * @param groupBy fields and attributes forming the groups; each must also be selected without a function
 * @param timeBucket width of time buckets, or null
 * @param orderBy ordering by output column names
 * @param limit most rows returned, 0 for the default
 */
public record StructuredQuery(QuerySignal signal, List<Selection> select, List<AttributeMatcher> filters,
    List<AttributeRef> groupBy, Duration timeBucket, List<Ordering> orderBy, int limit) {

  public StructuredQuery {
    select = copy(select);
    filters = copy(filters);
    groupBy = copy(groupBy);
    orderBy = copy(orderBy);
  }

  private static <T> List<T> copy(List<T> in) {
    return in == null ? List.of() : List.copyOf(in);
  }

  /** Aggregate functions from the allow-list; NONE selects the value itself. */
  public enum Function { NONE, COUNT, COUNT_DISTINCT, SUM, AVG, MIN, MAX, QUANTILE, RATE }

  /**
   * One output column.
   *
   * @param field what is read; null only for COUNT and RATE (rows)
   * @param function aggregate applied, NONE for the value itself
   * @param quantile the quantile in [0, 1] for QUANTILE, ignored otherwise
   * @param alias output name (letters, digits, underscores) or empty for a derived name
   */
  public record Selection(AttributeRef field, Function function, double quantile, String alias) {
    public Selection {
      function = function == null ? Function.NONE : function;
      alias = alias == null ? "" : alias;
    }

    public static Selection of(AttributeRef field) {
      return new Selection(field, Function.NONE, 0, "");
    }

    public static Selection of(Function function, AttributeRef field) {
      return new Selection(field, function, 0, "");
    }

    public Selection as(String name) {
      return new Selection(field, function, quantile, name);
    }
  }

  /** One ordering term: an output column name and a direction. */
  public record Ordering(String column, boolean descending) {
    public Ordering {
      Objects.requireNonNull(column, "column");
    }
  }
}
