/** A compiled span-metrics query with what is needed to read its rows back: the grid, window and quantiles. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.sql.Sql;
import java.util.List;

/**
 * @param sql the statement (columns in {@link SpanMetricsCompiler})
 * @param window the period spans were read from (rates of the total divide by its length)
 * @param grid the buckets; a row's bucket index i starts at {@code grid.start() + i * grid.step()}
 * @param quantiles the latency quantiles, in the order of the latency arrays
 * @param maxSeries series kept; the query returns one more row when more groups matched
 */
public record CompiledSpanMetrics(Sql sql, TimeWindow window, StepGrid grid, List<Double> quantiles, int maxSeries) {
  public CompiledSpanMetrics {
    quantiles = List.copyOf(quantiles);
  }
}
