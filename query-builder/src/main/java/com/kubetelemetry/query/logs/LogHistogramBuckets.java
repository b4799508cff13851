/** Gap-fills the rows of a log histogram query into one bucket per step, empty ones included. */
package com.kubetelemetry.query.logs;

import com.kubetelemetry.query.StepGrid;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Pure: turns (bucket, level, count) rows into the complete, ordered list of buckets of a {@link StepGrid}. */
public final class LogHistogramBuckets {
  private LogHistogramBuckets() {}

  /** One row of the query: bucket index, level ordinal, record count. */
  public record Row(long bucket, int level, long records) {}

  /**
   * One bucket: its start, the total, and per-level counts indexed by {@link LogSeverity} ordinal.
   *
   * @param counts counts per level (length 7)
   */
  public record Bucket(Instant start, long total, long[] counts) {
    /** The levels with records, from the lowest up. */
    public List<LogSeverity> levels() {
      List<LogSeverity> out = new ArrayList<>();
      for (LogSeverity s : LogSeverity.values()) {
        if (counts[s.ordinal()] > 0) {
          out.add(s);
        }
      }
      return out;
    }
  }

  /** Every bucket of {@code grid}, oldest first; rows outside the grid are ignored. */
  public static List<Bucket> fill(StepGrid grid, List<Row> rows) {
    int points = (int) grid.points();
    long[][] counts = new long[points][LogSeverity.values().length];
    for (Row row : rows) {
      if (row.bucket() >= 0 && row.bucket() < points && row.level() >= 0 && row.level() < counts[0].length) {
        counts[(int) row.bucket()][row.level()] += row.records();
      }
    }
    List<Bucket> out = new ArrayList<>(points);
    for (int i = 0; i < points; i++) {
      long total = 0;
      for (long c : counts[i]) {
        total += c;
      }
      out.add(new Bucket(grid.start().plus(grid.step().multipliedBy(i)), total, counts[i]));
    }
    return out;
  }
}
