/** Computes metric query answers in plain Java from the points a test sent: the independent reference for tests. */
package com.kubetelemetry.query.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Semantics mirrored from the API documentation, not from the SQL: step k covers [start + (k+1)step - window,
 * start + (k+1)step); a cumulative counter's increase sums, over the points in the window, the difference to the
 * series' previous point (the new value after a drop); histograms sum bucket increases and interpolate linearly.
 */
public final class ExpectedSeries {
  private ExpectedSeries() {}

  /** One data point: time, value (numbers) or count, sum and buckets (histograms: lower, upper, count). */
  public record TestPoint(Instant time, double value, double count, double sum, List<double[]> buckets) {
    public static TestPoint number(Instant time, double value) {
      return new TestPoint(time, value, 0, 0, List.of());
    }

    public static TestPoint histogram(Instant time, double count, double sum, List<double[]> buckets) {
      return new TestPoint(time, 0, count, sum, buckets);
    }
  }

  /** One stored series: its labels (point attributes plus service.name), group values and points. */
  public record TestSeries(Map<String, String> labels, List<TestPoint> points) {}

  /** Values per step of every series, NaN for gaps, before aggregation. */
  public static Map<Map<String, String>, double[]> perSeries(List<TestSeries> series, EvaluationGrid grid,
      Function<List<TestPoint>, Double> overWindow) {
    Map<Map<String, String>, double[]> out = new LinkedHashMap<>();
    for (TestSeries s : series) {
      double[] v = new double[grid.points()];
      Arrays.fill(v, Double.NaN);
      boolean any = false;
      for (int k = 0; k < grid.points(); k++) {
        Instant end = grid.start().plus(grid.step().multipliedBy(k + 1));
        Instant from = end.minus(grid.window());
        List<TestPoint> in = s.points().stream().filter(p -> !p.time().isBefore(from) && p.time().isBefore(end))
            .sorted(Comparator.comparing(TestPoint::time)).toList();
        Double value = overWindow.apply(in);
        if (value != null && Double.isFinite(value)) {
          v[k] = value;
          any = true;
        }
      }
      if (any) {
        out.put(s.labels(), v);
      }
    }
    return out;
  }

  /** The counter increase of each point of {@code s} (null for a point without a previous one in the read range). */
  public static TestSeries counterDeltas(TestSeries s, Instant readStart) {
    List<TestPoint> sorted = s.points().stream().filter(p -> !p.time().isBefore(readStart))
        .sorted(Comparator.comparing(TestPoint::time)).toList();
    List<TestPoint> out = new ArrayList<>();
    for (int i = 1; i < sorted.size(); i++) {
      double prev = sorted.get(i - 1).value();
      double v = sorted.get(i).value();
      out.add(TestPoint.number(sorted.get(i).time(), v >= prev ? v - prev : v));
    }
    return new TestSeries(s.labels(), out);
  }

  /** Histogram points turned into increases (cumulative) by bucket position; reset when the count drops. */
  public static TestSeries histogramDeltas(TestSeries s, Instant readStart) {
    List<TestPoint> sorted = s.points().stream().filter(p -> !p.time().isBefore(readStart))
        .sorted(Comparator.comparing(TestPoint::time)).toList();
    List<TestPoint> out = new ArrayList<>();
    for (int i = 1; i < sorted.size(); i++) {
      TestPoint prev = sorted.get(i - 1);
      TestPoint cur = sorted.get(i);
      if (cur.count() < prev.count()) {
        out.add(cur);
        continue;
      }
      List<double[]> buckets = new ArrayList<>();
      for (int b = 0; b < cur.buckets().size(); b++) {
        double[] c = cur.buckets().get(b);
        buckets.add(new double[] {c[0], c[1], c[2] - prev.buckets().get(b)[2]});
      }
      out.add(TestPoint.histogram(cur.time(), cur.count() - prev.count(), cur.sum() - prev.sum(), buckets));
    }
    return new TestSeries(s.labels(), out);
  }

  /** Merges histogram points (bucket counts added by (lower, upper)). */
  public static TestPoint merge(List<TestPoint> points) {
    TreeMap<String, double[]> byBounds = new TreeMap<>();
    double count = 0;
    double sum = 0;
    for (TestPoint p : points) {
      count += p.count();
      sum += p.sum();
      for (double[] b : p.buckets()) {
        byBounds.computeIfAbsent(b[0] + "/" + b[1], x -> new double[] {b[0], b[1], 0})[2] += b[2];
      }
    }
    return TestPoint.histogram(Instant.EPOCH, count, sum, new ArrayList<>(byBounds.values()));
  }

  /** Prometheus-style quantile: linear inside the bucket; the open upper bucket answers its lower bound. */
  public static Double quantile(double q, List<double[]> buckets) {
    List<double[]> sorted = buckets.stream().sorted(Comparator.comparingDouble(b -> b[1])).toList();
    double total = sorted.stream().mapToDouble(b -> b[2]).sum();
    if (total <= 0) {
      return null;
    }
    double rank = q * total;
    double cum = 0;
    for (double[] b : sorted) {
      cum += b[2];
      if (b[2] > 0 && cum >= rank) {
        if (Double.isInfinite(b[1])) {
          return b[0];
        }
        return b[0] + (b[1] - b[0]) * (rank - (cum - b[2])) / b[2];
      }
    }
    return null;
  }

  /** Explicit buckets as (lower, upper, count): first lower is 0 when the first bound is positive. */
  public static List<double[]> explicit(double[] bounds, long[] counts) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      double lower = i == 0 ? (bounds[0] > 0 ? 0 : bounds[0]) : bounds[i - 1];
      double upper = i < bounds.length ? bounds[i] : Double.POSITIVE_INFINITY;
      out.add(new double[] {lower, upper, counts[i]});
    }
    return out;
  }

  /** Exponential buckets (positive side and zero bucket) as (lower, upper, count). */
  public static List<double[]> exponential(int scale, long zeroCount, int offset, long[] counts) {
    List<double[]> out = new ArrayList<>();
    out.add(new double[] {0, 0, zeroCount});
    double base = Math.pow(2, Math.pow(2, -scale));
    for (int i = 0; i < counts.length; i++) {
      out.add(new double[] {Math.pow(base, offset + i), Math.pow(base, offset + i + 1), counts[i]});
    }
    return out;
  }

  /** Combines series by group (labels of {@code groupOf}) per step, over the series with a value there. */
  public static Map<Map<String, String>, double[]> aggregate(Map<Map<String, String>, double[]> series,
      Function<Map<String, String>, Map<String, String>> groupOf, String how, int points) {
    Map<Map<String, String>, List<double[]>> groups = new LinkedHashMap<>();
    series.forEach((labels, v) -> groups.computeIfAbsent(groupOf.apply(labels), g -> new ArrayList<>()).add(v));
    Map<Map<String, String>, double[]> out = new LinkedHashMap<>();
    groups.forEach((g, members) -> {
      double[] v = new double[points];
      for (int k = 0; k < points; k++) {
        final int step = k;
        double[] present = members.stream().mapToDouble(m -> m[step]).filter(x -> !Double.isNaN(x)).toArray();
        v[k] = present.length == 0 ? Double.NaN : switch (how) {
          case "sum" -> Arrays.stream(present).sum();
          case "avg" -> Arrays.stream(present).average().orElseThrow();
          case "min" -> Arrays.stream(present).min().orElseThrow();
          case "max" -> Arrays.stream(present).max().orElseThrow();
          default -> present.length;
        };
      }
      out.put(g, v);
    });
    return out;
  }

  /** Seconds of a window, for rates. */
  public static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
