/** Maps the rows of a span-metrics query to API series, filling the steps without spans. */
package com.kubetelemetry.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.kubetelemetry.api.v1.LatencyQuantile;
import com.kubetelemetry.api.v1.SpanMetricsPoint;
import com.kubetelemetry.api.v1.SpanMetricsSeries;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.traces.CompiledSpanMetrics;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.ProtoQueries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every series has one point per grid step, oldest first; a step without spans is a gap (zero counts, no
 * latencies). Rates divide by the step, and for the total by the requested window.
 */
final class SpanMetricsRows {
  private SpanMetricsRows() {}

  /** The series of {@code rows}, at most {@code compiled.maxSeries()} (the query returns one more when truncated). */
  static List<SpanMetricsSeries> series(CompiledSpanMetrics compiled, List<EngineRow> rows) {
    List<SpanMetricsSeries> out = new ArrayList<>();
    StepGrid grid = compiled.grid();
    double stepSeconds = grid.step().toSeconds();
    double windowSeconds = compiled.window().span().toNanos() / 1e9;
    for (EngineRow row : rows.subList(0, Math.min(rows.size(), compiled.maxSeries()))) {
      SpanMetricsSeries.Builder series = SpanMetricsSeries.newBuilder()
          .setServiceName(row.string(0))
          .setSpanName(row.string(1))
          .setKind(SpanRows.kind(row.string(2)))
          .setTotal(point(nanos(compiled.window().start()), row.int64(3), row.int64(4), row.longs(5),
              windowSeconds, compiled.quantiles()));
      JsonNode buckets = row.node(6);
      int next = 0;
      for (long i = 0; i < grid.points(); i++) {
        long start = nanos(grid.start()) + i * grid.step().toNanos();
        JsonNode bucket = next < buckets.size() ? buckets.get(next) : null;
        if (bucket != null && bucket.get(0).asLong() == i) {
          long[] latencies = new long[bucket.get(3).size()];
          for (int q = 0; q < latencies.length; q++) {
            latencies[q] = bucket.get(3).get(q).asLong();
          }
          series.addPoints(point(start, bucket.get(1).asLong(), bucket.get(2).asLong(), latencies, stepSeconds,
              compiled.quantiles()));
          next++;
        } else {
          series.addPoints(SpanMetricsPoint.newBuilder().setTimestamp(ProtoQueries.timestamp(start)).setGap(true));
        }
      }
      out.add(series.build());
    }
    return out;
  }

  private static SpanMetricsPoint point(long startNanos, long requests, long errors, long[] latencies,
      double seconds, List<Double> quantiles) {
    SpanMetricsPoint.Builder point = SpanMetricsPoint.newBuilder()
        .setTimestamp(ProtoQueries.timestamp(startNanos))
        .setRequestCount(requests)
        .setErrorCount(errors)
        .setRequestRate(requests / seconds)
        .setErrorRate(requests == 0 ? 0 : (double) errors / requests)
        .setGap(requests == 0);
    for (int q = 0; q < latencies.length && q < quantiles.size(); q++) {
      point.addLatencies(LatencyQuantile.newBuilder().setQuantile(quantiles.get(q))
          .setLatency(ProtoQueries.duration(latencies[q])));
    }
    return point.build();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
