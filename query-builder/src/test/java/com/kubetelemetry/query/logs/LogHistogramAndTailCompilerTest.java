/** Exact SQL of log histograms and tail polls, default steps, gap filling and the tail's start rules. */
package com.kubetelemetry.query.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogHistogramAndTailCompilerTest {
  static final Instant NOW = LogSearchCompilerTest.NOW;
  static final LogHistogramCompiler HISTOGRAM = new LogHistogramCompiler(LogSearchCompilerTest.SCHEMA,
      LogSearchCompilerTest.RANGES, QueryLimits.defaults(), 11_000);
  static final LogTailCompiler TAIL = new LogTailCompiler(LogSearchCompilerTest.SCHEMA, QueryLimits.defaults());

  @Test
  void histogramCountsPerStepAndLevel() {
    Instant start = Instant.parse("2026-11-23T10:00:30Z");
    LogHistogramCompiler.Statement st = HISTOGRAM.compile(LogSearchCompilerTest.TENANT, new LogHistogram(
        TimeRange.between(start, start.plus(Duration.ofMinutes(10))), Duration.ofMinutes(1),
        LogFilter.all().withServiceName("api")));
    assertThat(st.sql().text()).isEqualTo("""
        SELECT
            toUInt64(intDiv(toUnixTimestamp64Nano(Timestamp) - {p0:Int64}, {p1:Int64})) AS Bucket,
            multiIf(SeverityNumber = 0, 0, SeverityNumber > 24, 6, intDiv(SeverityNumber + 3, 4)) AS Level,
            count() AS Records
        FROM `otel`.`otel_logs`
        WHERE TenantId = {p2:String}
          AND Timestamp >= {p3:DateTime64(9)}
          AND Timestamp < {p4:DateTime64(9)}
          AND ServiceName = {p5:String}
        GROUP BY Bucket, Level
        ORDER BY Bucket, Level""");
    assertThat(st.sql().params()).containsExactly(
        new Param("p0", "Int64", Instant.parse("2026-11-23T10:00:00Z").getEpochSecond() * 1_000_000_000L),
        new Param("p1", "Int64", 60_000_000_000L), new Param("p2", "String", "acme"),
        new Param("p3", "DateTime64(9)", start), new Param("p4", "DateTime64(9)", start.plusSeconds(600)),
        new Param("p5", "String", "api"));
    assertThat(st.grid()).isEqualTo(new StepGrid(Instant.parse("2026-11-23T10:00:00Z"),
        Instant.parse("2026-11-23T10:11:00Z"), Duration.ofMinutes(1), 11));
  }

  @Test
  void withoutAStepAboutThreeHundredBuckets() {
    assertThat(HISTOGRAM.compile(LogSearchCompilerTest.TENANT, new LogHistogram(null, null, null)).grid().step())
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(LogHistogramCompiler.defaultStep(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(1));
    assertThat(LogHistogramCompiler.defaultStep(Duration.ofDays(1))).isEqualTo(Duration.ofMinutes(5));
    assertThat(LogHistogramCompiler.defaultStep(Duration.ofDays(31))).isEqualTo(Duration.ofHours(3));
    assertThat(LogHistogramCompiler.defaultStep(Duration.ofDays(3000))).isEqualTo(Duration.ofDays(11));
  }

  @Test
  void badStepsAreRejectedNamingTheField() {
    for (Duration step : List.of(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofSeconds(-1))) {
      assertThatThrownBy(() -> HISTOGRAM.compile(LogSearchCompilerTest.TENANT, new LogHistogram(null, step, null)))
          .isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.field()).isEqualTo("time_range.step");
            assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
          });
    }
    assertThatThrownBy(() -> HISTOGRAM.compile(LogSearchCompilerTest.TENANT,
        new LogHistogram(TimeRange.last("7d"), Duration.ofSeconds(1), null)))
        .isInstanceOfSatisfying(QueryException.class,
            e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.RESOURCE_EXHAUSTED));
  }

  @Test
  void gapFillingGivesEveryBucketOldestFirst() {
    StepGrid grid = new StepGrid(Instant.EPOCH, Instant.ofEpochSecond(40), Duration.ofSeconds(10), 4);
    List<LogHistogramBuckets.Bucket> buckets = LogHistogramBuckets.fill(grid, List.of(
        new LogHistogramBuckets.Row(1, 0, 2), new LogHistogramBuckets.Row(1, 5, 3),
        new LogHistogramBuckets.Row(3, 3, 1), new LogHistogramBuckets.Row(9, 3, 1)));
    assertThat(buckets).extracting(LogHistogramBuckets.Bucket::start).containsExactly(Instant.EPOCH,
        Instant.ofEpochSecond(10), Instant.ofEpochSecond(20), Instant.ofEpochSecond(30));
    assertThat(buckets).extracting(LogHistogramBuckets.Bucket::total).containsExactly(0L, 5L, 0L, 1L);
    assertThat(buckets.get(1).levels()).containsExactly(LogSeverity.UNSPECIFIED, LogSeverity.ERROR);
    assertThat(buckets.get(1).counts()[5]).isEqualTo(3);
    assertThat(buckets.get(0).levels()).isEmpty();
  }

  @Test
  void firstTailPollReadsFromTheStartNewestFirst() {
    Instant start = NOW.minusSeconds(30);
    Sql sql = TAIL.compile(LogSearchCompilerTest.TENANT, LogFilter.all().withTerms("boom"), null, start, NOW, 50);
    assertThat(sql.text()).isEqualTo(LogSearchCompilerTest.SELECT.replace("AS RowHash\n", "AS RowHash,\n") + """
            count() OVER () AS Matched
        """ + LogSearchCompilerTest.FROM + """
          AND lower(Body) LIKE {p3:String}
          AND positionCaseInsensitiveUTF8(Body, {p4:String}) > 0
        ORDER BY Timestamp DESC, RowHash DESC
        LIMIT {p5:UInt32}""");
    assertThat(sql.params()).containsExactly(new Param("p0", "String", "acme"),
        new Param("p1", "DateTime64(9)", start), new Param("p2", "DateTime64(9)", NOW),
        new Param("p3", "String", "%boom%"), new Param("p4", "String", "boom"), new Param("p5", "UInt32", 50));
  }

  @Test
  void laterPollsReadAfterTheCursor() {
    LogCursor after = new LogCursor(NOW.getEpochSecond() * 1_000_000_000L + 5, BigInteger.valueOf(42), 9);
    Sql sql = TAIL.compile(LogSearchCompilerTest.TENANT, LogFilter.all(), after, NOW.minusSeconds(60),
        NOW.plusSeconds(1), 1000);
    assertThat(sql.text()).endsWith("""
          AND Timestamp < {p2:DateTime64(9)}
          AND (Timestamp, RowHash) > ({p1:DateTime64(9)}, {p3:UInt64})
        ORDER BY Timestamp DESC, RowHash DESC
        LIMIT {p4:UInt32}""");
    assertThat(sql.params().get(1)).isEqualTo(new Param("p1", "DateTime64(9)", NOW.plusNanos(5)));
    assertThat(sql.params().get(3)).isEqualTo(new Param("p3", "UInt64", BigInteger.valueOf(42)));
    Sql clamped = TAIL.compile(LogSearchCompilerTest.TENANT, LogFilter.all(), after, NOW, NOW, 1);
    assertThat(clamped.params().get(2)).isEqualTo(new Param("p2", "DateTime64(9)", NOW.plusNanos(6)));
  }

  @Test
  void tailStartsNowOrAtMostAnHourBack() {
    assertThat(LogTailCompiler.start(null, NOW)).isEqualTo(NOW);
    assertThat(LogTailCompiler.start(NOW.minusSeconds(3600), NOW)).isEqualTo(NOW.minusSeconds(3600));
    assertThat(LogTailCompiler.start(NOW.plusSeconds(5), NOW)).isEqualTo(NOW);
    assertThatThrownBy(() -> LogTailCompiler.start(NOW.minusSeconds(3601), NOW))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("since"));
  }
}
