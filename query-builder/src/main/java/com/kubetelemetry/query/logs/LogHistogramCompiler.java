/** Compiles a {@link LogHistogram} into one query counting records per step bucket and severity level. */
package com.kubetelemetry.query.logs;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Result rows: Bucket (UInt64, index of the step since the grid start), Level ({@link LogSeverity} ordinal),
 * Records (UInt64); only non-empty (bucket, level) pairs, ordered by both. Buckets are aligned to multiples of the
 * step since the epoch ({@link StepGrid}); records count only inside the requested window, so the first and last
 * buckets may cover part of their step. {@link LogHistogramBuckets#fill} gap-fills the rows.
 */
public final class LogHistogramCompiler {
  public static final int TARGET_POINTS = 300;
  /** Steps the server picks from when the request has none: the smallest giving at most 300 buckets. */
  static final List<Duration> NICE_STEPS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30),
      Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
      Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
      Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(7));

  private final SchemaOptions schema;
  private final TimeRangeResolver ranges;
  private final QueryLimits limits;
  private final long maxPoints;

  public LogHistogramCompiler(SchemaOptions schema, TimeRangeResolver ranges, QueryLimits limits,
      long maxPoints) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ranges = Objects.requireNonNull(ranges, "ranges");
    this.limits = Objects.requireNonNull(limits, "limits");
    if (maxPoints < 1) {
      throw new IllegalArgumentException("maxPoints must be positive: " + maxPoints);
    }
    this.maxPoints = maxPoints;
  }

  /** The statement and the buckets it fills. */
  public record Statement(Sql sql, StepGrid grid) {}

  public Statement compile(TenantId tenant, LogHistogram request) {
    Objects.requireNonNull(tenant, "tenant");
    TimeWindow window = ranges.resolve(request.timeRange());
    Duration step = request.step() != null ? request.step() : defaultStep(window.span());
    StepGrid grid = StepGrid.align(window, step, maxPoints, "time_range.step");
    SqlBuilder sql = new SqlBuilder();
    String gridStart = sql.param("Int64", grid.start().getEpochSecond() * 1_000_000_000L);
    String stepNanos = sql.param("Int64", grid.step().toNanos());
    sql.line("SELECT")
        .line("    toUInt64(intDiv(toUnixTimestamp64Nano(Timestamp) - " + gridStart + ", " + stepNanos
            + ")) AS Bucket,")
        .line("    " + LogSeverity.LEVEL_SQL + " AS Level,")
        .line("    count() AS Records");
    LogFilterCompiler.fromWhere(sql, schema.qualified(SignalTable.LOGS.table()), tenant, window.start(),
        window.end(), request.filter());
    sql.line("GROUP BY Bucket, Level")
        .line("ORDER BY Bucket, Level");
    return new Statement(sql.build(limits), grid);
  }

  /** The smallest of {@link #NICE_STEPS} giving at most {@link #TARGET_POINTS} buckets over {@code span}. */
  static Duration defaultStep(Duration span) {
    for (Duration step : NICE_STEPS) {
      if (Math.ceilDiv(span.toNanos(), step.toNanos()) <= TARGET_POINTS) {
        return step;
      }
    }
    return Duration.ofDays(Math.ceilDiv(span.toDays() + 1, TARGET_POINTS));
  }
}
