/** Merges the answers of consecutive time slices of one QueryRange into the answer for the whole range. */
package com.kubetelemetry.cache;

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
    long stepMillis = grid.step().toMillis();
    int points = Math.toIntExact(grid.points());
    long gridStart = grid.start().toEpochMilli();
    Map<Map<String, String>, Steps> merged = new LinkedHashMap<>();
    long rowsRead = 0;
    for (Part part : parts) {
      QueryRangeResponse answer = part.answer();
      QueryInfo info = answer.getInfo();
      if (info.getTruncated() || (found(info) && !sameShape(info, first))) {
        return null;
      }
      rowsRead += info.getStats().getRowsRead();
      long from = part.keepFrom().toEpochMilli();
      long to = part.keepTo().toEpochMilli();
      // The slice's steps that fall in [from, to), as positions in the slice and on the merged grid.
      int firstKept = -1;
      int lastKept = -1;
      int offset = 0;
      for (int i = 0; i < answer.getStepStartsUnixMsCount(); i++) {
        long t = answer.getStepStartsUnixMs(i);
        if (t >= from && t < to) {
          long k = (t - gridStart) / stepMillis;
          if (k < 0 || k >= points || (t - gridStart) % stepMillis != 0
              || (firstKept >= 0 && k - offset != i)) {
            return null;
          }
          if (firstKept < 0) {
            firstKept = i;
            offset = (int) k - i;
          }
          lastKept = i;
        }
      }
      Map<Map<String, String>, Boolean> seen = new HashMap<>();
      for (Series s : answer.getSeriesList()) {
        if (seen.put(s.getLabelsMap(), Boolean.TRUE) != null
            || s.getValuesCount() != answer.getStepStartsUnixMsCount()) {
          return null;
        }
        if (firstKept < 0) {
          continue;
        }
        Steps target = merged.computeIfAbsent(s.getLabelsMap(), k -> new Steps(points));
        for (int i = firstKept; i <= lastKept; i++) {
          target.values[i + offset] = s.getValues(i);
          target.present[i + offset] = true;
        }
        for (int g = 0; g < s.getGapsCount(); g++) {
          int i = s.getGaps(g);
          if (i >= firstKept && i <= lastKept) {
            target.present[i + offset] = false;
          }
        }
      }
    }
    List<Ranked> ranked = new ArrayList<>();
    for (Map.Entry<Map<String, String>, Steps> e : merged.entrySet()) {
      Steps steps = e.getValue();
      Double rank = rank(steps, limit.by());
      if (rank == null) {
        continue;
      }
      if (rank.isNaN()) {
        return null;
      }
      ranked.add(new Ranked(e.getKey(), steps, rank));
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
    for (int k = 0; k < points; k++) {
      out.addStepStartsUnixMs(gridStart + k * stepMillis);
    }
    for (int i = 0; i < kept; i++) {
      Ranked r = ranked.get(i);
      Series.Builder s = Series.newBuilder().putAllLabels(r.labels());
      for (int k = 0; k < points; k++) {
        if (r.steps().present[k]) {
          s.addValues(r.steps().values[k]);
        } else {
          s.addValues(0).addGaps(k);
        }
      }
      out.addSeries(s);
    }
    QueryInfo.Builder info = first.toBuilder()
        .setStats(QueryStats.newBuilder().setRowsRead(rowsRead).setCached(true));
    info.setTotalSeries(ranked.size()).setTruncated(ranked.size() > maxSeries);
    return out.setInfo(info).build();
  }

  /** One series' values on the merged grid; a step no slice covered stays absent (a gap). */
  private static final class Steps {
    final double[] values;
    final boolean[] present;

    Steps(int points) {
      values = new double[points];
      present = new boolean[points];
    }
  }

  /** True when the slice found the metric (an unknown metric answers with an empty info). */
  private static boolean found(QueryInfo info) {
    return info.getMetricType().getNumber() != 0;
  }

  private record Ranked(Map<String, String> labels, Steps steps, double rank) {}

  private static boolean sameShape(QueryInfo a, QueryInfo b) {
    return a.getStep().equals(b.getStep()) && a.getRollupUsed() == b.getRollupUsed()
        && a.getRollupResolution().equals(b.getRollupResolution()) && a.getMetricType() == b.getMetricType()
        && a.getUnit().equals(b.getUnit());
  }

  /** The rank figure over the present steps; null when the series has none. */
  private static Double rank(Steps steps, MetricQuery.RankBy by) {
    int n = 0;
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    double sum = 0;
    double last = 0;
    for (int k = 0; k < steps.values.length; k++) {
      if (!steps.present[k]) {
        continue;
      }
      double v = steps.values[k];
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
