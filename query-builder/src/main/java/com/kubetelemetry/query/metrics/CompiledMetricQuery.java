/** A compiled metric query: the statement, and what a caller needs to read its rows back into series. */
package com.kubetelemetry.query.metrics;

import com.kubetelemetry.sql.Sql;
import java.util.List;

/**
 * Result columns, one row per series, ordered by the series limit's rule: Service (String), Attrs
 * (Map(String, String)), Groups (Array(String), the group-by values in {@code labelKeys} order), Points
 * (Array(Tuple(UInt32 step index, Float64 value)) sorted by step; steps without a value are absent), RankValue
 * (Float64), TotalSeries (UInt64, series before the limit). Not aggregated: labels are Attrs plus
 * {@code service.name} = Service. Aggregated: labels are {@code labelKeys} zipped with Groups.
 *
 * @param sql the statement
 * @param grid the steps the indexes in Points refer to
 * @param aggregated true when series were combined
 * @param labelKeys the group-by keys (empty when not aggregated)
 * @param rollup true when the 1-minute rollup is read
 * @param shape the metric's kind, temporality and unit
 * @param rate true when values are per second (the unit gains "/s")
 * @param maxSeries the series limit applied
 */
public record CompiledMetricQuery(Sql sql, EvaluationGrid grid, boolean aggregated, List<String> labelKeys,
    boolean rollup, MetricShape shape, boolean rate, int maxSeries) {
  public CompiledMetricQuery {
    labelKeys = List.copyOf(labelKeys);
  }
}
