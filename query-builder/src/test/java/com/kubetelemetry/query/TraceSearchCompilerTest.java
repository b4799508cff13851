/** Exact SQL and parameters of compiled trace searches, and their validation errors. */
package com.kubetelemetry.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.TraceSearch.SpanStatus;
import com.kubetelemetry.query.TraceSearch.TraceOrder;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceSearchCompilerTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final TraceSearchCompiler COMPILER = new TraceSearchCompiler(new SchemaOptions("otel", 0, 0, 0),
      TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC)), QueryLimits.defaults());
  static final TenantId TENANT = new TenantId("acme");

  static final String HEAD = """
      SELECT TraceId
      FROM `otel`.`otel_traces`
      WHERE TenantId = {p0:String}
        AND Timestamp >= {p1:DateTime64(9)}
        AND Timestamp < {p2:DateTime64(9)}
      """;

  @Test
  void noFiltersSearchesTheDefaultHourNewestFirst() {
    Sql sql = COMPILER.candidates(TENANT, TraceSearch.all());
    assertThat(sql.text()).isEqualTo(HEAD + """
        GROUP BY TraceId
        ORDER BY min(Timestamp) DESC, TraceId
        LIMIT {p3:UInt32}""");
    assertThat(sql.params()).containsExactly(new Param("p0", "String", "acme"),
        new Param("p1", "DateTime64(9)", NOW.minusSeconds(3600)), new Param("p2", "DateTime64(9)", NOW),
        new Param("p3", "UInt32", 20));
    assertThat(sql.settings()).containsEntry("readonly", "1").containsEntry("max_execution_time", "30")
        .containsEntry("max_rows_to_read", "1000000000").containsEntry("max_result_rows", "100000")
        .containsEntry("result_overflow_mode", "'throw'").hasSize(5);
  }

  @Test
  void everyFilterByDuration() {
    TraceSearch search = TraceSearch.all().withService("checkout").withSpanName("GET /cart")
        .withDurations(Duration.ofMillis(5), Duration.ofSeconds(2)).withStatus(SpanStatus.ERROR)
        .withMatchers(List.of(AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.EQ, "prod"),
            AttributeMatcher.of(Target.ITEM, "http.status_code", Op.IN, "500", "503"),
            AttributeMatcher.of(Target.COLUMN, "span_kind", Op.NEQ, "Internal")))
        .withTimeRange(TimeRange.last("15m")).withLimit(50).withOrder(TraceOrder.DURATION);
    Sql sql = COMPILER.candidates(TENANT, search);
    assertThat(sql.text()).isEqualTo(HEAD + """
          AND ServiceName = {p3:String}
          AND SpanName = {p4:String}
          AND Duration >= {p5:UInt64}
          AND Duration <= {p6:UInt64}
          AND StatusCode = {p7:String}
          AND ResourceAttributes[{p8:String}] = {p9:String}
          AND has({p11:Array(String)}, SpanAttributes[{p10:String}])
          AND SpanKind != {p12:String}
        GROUP BY TraceId
        ORDER BY max(Duration) DESC, TraceId
        LIMIT {p13:UInt32}""");
    assertThat(sql.params()).containsExactly(new Param("p0", "String", "acme"),
        new Param("p1", "DateTime64(9)", NOW.minusSeconds(900)), new Param("p2", "DateTime64(9)", NOW),
        new Param("p3", "String", "checkout"), new Param("p4", "String", "GET /cart"),
        new Param("p5", "UInt64", 5_000_000L), new Param("p6", "UInt64", 2_000_000_000L),
        new Param("p7", "String", "Error"), new Param("p8", "String", "k8s.namespace.name"),
        new Param("p9", "String", "prod"), new Param("p10", "String", "http.status_code"),
        new Param("p11", "Array(String)", List.of("500", "503")), new Param("p12", "String", "Internal"),
        new Param("p13", "UInt32", 50));
  }

  @Test
  void absoluteRangeAndEmptyStringsAreStillFilters() {
    Instant start = Instant.parse("2026-11-20T00:00:00Z");
    Sql sql = COMPILER.candidates(TENANT, TraceSearch.all().withService("")
        .withTimeRange(TimeRange.between(start, start.plusSeconds(60))));
    assertThat(sql.text()).contains("  AND ServiceName = {p3:String}\nGROUP BY");
    assertThat(sql.params().subList(1, 4)).containsExactly(new Param("p1", "DateTime64(9)", start),
        new Param("p2", "DateTime64(9)", start.plusSeconds(60)), new Param("p3", "String", ""));
  }

  @Test
  void boundsAndSummariesBindTheIdsAndNarrowTheWindow() {
    TimeWindow window = new TimeWindow(NOW.minusSeconds(3600), NOW);
    Sql bounds = COMPILER.bounds(TENANT, List.of("a", "b"));
    assertThat(bounds.text()).isEqualTo("""
        SELECT toInt64(toUnixTimestamp(min(Start))), toInt64(toUnixTimestamp(max(End)))
        FROM `otel`.`otel_traces_trace_id_ts`
        WHERE TenantId = {p0:String}
          AND TraceId IN {p1:Array(String)}""");
    assertThat(bounds.params().getLast()).isEqualTo(new Param("p1", "Array(String)", List.of("a", "b")));
    Sql summaries = COMPILER.summaries(TENANT, TraceSearch.all(), window, List.of("a"), NOW.minusSeconds(60),
        NOW.plusSeconds(60));
    assertThat(summaries.text()).startsWith("SELECT\n    TraceId,\n").contains("""
        WHERE TenantId = {p0:String}
          AND Timestamp >= {p1:DateTime64(9)}
          AND Timestamp < {p2:DateTime64(9)}
          AND TraceId IN {p3:Array(String)}
        GROUP BY TraceId
        ORDER BY StartTime DESC, TraceId""");
    assertThat(summaries.params().subList(1, 3)).containsExactly(
        new Param("p1", "DateTime64(9)", NOW.minusSeconds(60)), new Param("p2", "DateTime64(9)", NOW));
    Sql disjoint = COMPILER.summaries(TENANT, TraceSearch.all().withOrder(TraceOrder.DURATION), window, List.of("a"),
        NOW.plusSeconds(10), NOW.plusSeconds(20));
    assertThat(disjoint.params().subList(1, 3)).as("bounds outside the window fall back to the window")
        .containsExactly(new Param("p1", "DateTime64(9)", window.start()), new Param("p2", "DateTime64(9)", NOW));
    assertThat(disjoint.text()).endsWith("ORDER BY DurationNano DESC, TraceId");
  }

  @Test
  void compilingTwiceGivesTheSameStatement() {
    TraceSearch search = TraceSearch.all().withService("a").withMatchers(List.of(
        AttributeMatcher.of(Target.ITEM, "k", Op.REGEX, "x.*")));
    assertThat(COMPILER.candidates(TENANT, search)).isEqualTo(COMPILER.candidates(TENANT, search));
  }

  @Test
  void limitIsBounded() {
    assertThat(COMPILER.candidates(TENANT, TraceSearch.all().withLimit(1000)).params().getLast().value())
        .isEqualTo(1000);
    for (int bad : new int[] {-1, 1001}) {
      assertThatThrownBy(() -> COMPILER.candidates(TENANT, TraceSearch.all().withLimit(bad)))
          .isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.field()).isEqualTo("limit");
            assertThat(e.getMessage()).isEqualTo("limit is " + bad + "; use 1 to 1000 (0 for the default of 20)");
          });
    }
  }

  @Test
  void errorsNameTheirField() {
    assertThat(fieldOf(TraceSearch.all().withDurations(Duration.ofSeconds(2), Duration.ofSeconds(1))))
        .isEqualTo("min_duration");
    assertThat(fieldOf(TraceSearch.all().withDurations(Duration.ofSeconds(-1), null))).isEqualTo("min_duration");
    assertThat(fieldOf(TraceSearch.all().withDurations(null, Duration.ofDays(365 * 300))))
        .isEqualTo("max_duration");
    assertThat(fieldOf(TraceSearch.all().withService("s".repeat(1025)))).isEqualTo("service");
    assertThat(fieldOf(TraceSearch.all().withSpanName("s".repeat(1025)))).isEqualTo("span_name");
    assertThat(fieldOf(TraceSearch.all().withMatchers(java.util.Collections.nCopies(33,
        AttributeMatcher.of(Target.ITEM, "k", Op.EXISTS))))).isEqualTo("matchers");
    assertThat(fieldOf(TraceSearch.all().withMatchers(List.of(AttributeMatcher.of(Target.ITEM, "k", Op.EXISTS),
        AttributeMatcher.of(Target.COLUMN, "Nope", Op.EQ, "x"))))).isEqualTo("matchers[1].key");
    assertThat(fieldOf(TraceSearch.all().withTimeRange(TimeRange.last("soon")))).isEqualTo("time_range.relative");
    assertThatThrownBy(() -> COMPILER.candidates(TENANT, TraceSearch.all().withTimeRange(TimeRange.last("90d"))))
        .isInstanceOfSatisfying(QueryException.class,
            e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.RESOURCE_EXHAUSTED));
  }

  private static String fieldOf(TraceSearch search) {
    try {
      COMPILER.candidates(TENANT, search);
    } catch (QueryException e) {
      assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
      return e.field();
    }
    throw new AssertionError("compiled without error: " + search);
  }
}
