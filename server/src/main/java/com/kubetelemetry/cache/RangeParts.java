/** Merges the answers of consecutive time slices of one QueryRange into the answer for the whole range. */
package com.kubetelemetry.cache;

import com.google.protobuf.Timestamp;
import com.kubetelemetry.api.v1.Point;
import com.kubetelemetry.api.v1.QueryInfo;
import com.kubetelemetry.api.v1.QueryRangeResponse;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.Series;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.metrics.MetricQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each point of a range answer depends only on its step (the engine evaluates step k over a window ending at the
 * step's end, whatever the range), so slices can be cut and joined. What depends on the whole range is redone
 * here: series that have no point left are dropped, series are ordered by the rank figure over the merged points
 * and cut at the series limit, and the total is recounted. When that cannot be done exactly (a slice was cut by
 * the limit, two series share labels, rank values tie, the slices disagree on the metric's type or unit, or the
 * answer would exceed the point cap) {@link #merge} returns null and the caller computes the range whole.
 */
final class RangeParts {
  /** Relative distance under which two rank values count as a tie (sums may differ in the last bits). */
  private static final double TIE = 1e-9;

  /** One slice's answer, of which only the steps in [keepFrom, keepTo) are used. */
  record Part(QueryRangeResponse answer, Instant keepFrom, Instant keepTo) {}

  private RangeParts() {}

  static QueryRangeResponse merge(List<Part> parts, StepGrid grid, MetricQuery.SeriesLimit limit, int maxSeries,
      long maxPoints) {
    QueryInfo first = null;
    for (Part part : parts) {
      QueryInfo info = part.answer().getInfo();
      if (found(info) && first == null) {
        first = info;
      }
    }
    if (first == null) {
      return null;
    }
    long stepSeconds = grid.step().toSeconds();
    int points = Math.toIntExact(grid.points());
    long gridStart = grid.start().getEpochSecond();
    Map<Map<String, String>, Point[]> merged = new LinkedHashMap<>();
    long rowsRead = 0;
    for (Part part : parts) {
      QueryInfo info = part.answer().getInfo();
      if (info.getTruncated() || (found(info) && !sameShape(info, first))) {
        return null;
      }
      rowsRead += info.getStats().getRowsRead();
      long from = part.keepFrom().getEpochSecond();
      long to = part.keepTo().getEpochSecond();
      Map<Map<String, String>, Boolean> seen = new HashMap<>();
      for (Series s : part.answer().getSeriesList()) {
        if (seen.put(s.getLabelsMap(), Boolean.TRUE) != null) {
          return null;
        }
        Point[] target = merged.computeIfAbsent(s.getLabelsMap(), k -> new Point[points]);
        for (Point p : s.getPointsList()) {
          long t = p.getTimestamp().getSeconds();
          if (t >= from && t < to) {
            long k = (t - gridStart) / stepSeconds;
            if (k < 0 || k >= points || (t - gridStart) % stepSeconds != 0) {
              return null;
            }
            target[(int) k] = p;
          }
        }
      }
    }
    List<Ranked> ranked = new ArrayList<>();
    for (Map.Entry<Map<String, String>, Point[]> e : merged.entrySet()) {
      Point[] ps = e.getValue();
      Double rank = rank(ps, limit.by());
      if (rank == null) {
        continue;
      }
      if (rank.isNaN()) {
        return null;
      }
      ranked.add(new Ranked(e.getKey(), ps, rank));
    }
    Comparator<Ranked> order = Comparator.comparingDouble(Ranked::rank);
    ranked.sort(limit.ascending() ? order : order.reversed());
    for (int i = 1; i < ranked.size(); i++) {
      double a = ranked.get(i - 1).rank();
      double b = ranked.get(i).rank();
      if (a == b || Math.abs(a - b) <= TIE * Math.max(Math.abs(a), Math.abs(b))) {
        return null;
      }
    }
    if (ranked.isEmpty()) {
      return null;
    }
    int kept = Math.min(ranked.size(), maxSeries);
    if ((long) kept * points > maxPoints) {
      return null;
    }
    QueryRangeResponse.Builder out = QueryRangeResponse.newBuilder();
    for (int i = 0; i < kept; i++) {
      Ranked r = ranked.get(i);
      Series.Builder s = Series.newBuilder().putAllLabels(r.labels());
      for (int k = 0; k < points; k++) {
        Point p = r.points()[k];
        s.addPoints(p != null ? p : Point.newBuilder().setTimestamp(Timestamp.newBuilder()
            .setSeconds(gridStart + k * stepSeconds)).setGap(true).build());
      }
      out.addSeries(s);
    }
    QueryInfo.Builder info = first.toBuilder()
        .setStats(QueryStats.newBuilder().setRowsRead(rowsRead).setCached(true));
    info.setTotalSeries(ranked.size()).setTruncated(ranked.size() > maxSeries);
    return out.setInfo(info).build();
  }

  /** True when the slice found the metric (an unknown metric answers with an empty info). */
  private static boolean found(QueryInfo info) {
    return info.getMetricType().getNumber() != 0;
  }

  private record Ranked(Map<String, String> labels, Point[] points, double rank) {}

  private static boolean sameShape(QueryInfo a, QueryInfo b) {
    return a.getStep().equals(b.getStep()) && a.getRollupUsed() == b.getRollupUsed()
        && a.getRollupResolution().equals(b.getRollupResolution()) && a.getMetricType() == b.getMetricType()
        && a.getUnit().equals(b.getUnit());
  }

  /** The rank figure over the present points; null when the series has none. */
  private static Double rank(Point[] points, MetricQuery.RankBy by) {
    int n = 0;
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    double sum = 0;
    double last = 0;
    for (Point p : points) {
      if (p == null || p.getGap()) {
        continue;
      }
      double v = p.getValue();
      if (Double.isNaN(v)) {
        return Double.NaN;
      }
      n++;
      max = Math.max(max, v);
      min = Math.min(min, v);
      sum += v;
      last = v;
    }
    if (n == 0) {
      return null;
    }
    return switch (by) {
      case MAX -> max;
      case MIN -> min;
      case SUM -> sum;
      case AVG -> sum / n;
      case LAST -> last;
    };
  }
}
