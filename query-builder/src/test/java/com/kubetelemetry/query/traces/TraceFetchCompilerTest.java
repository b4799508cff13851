/** Exact SQL and parameters of GetTrace queries, and the validation of trace ids, hints and span limits. */
package com.kubetelemetry.query.traces;

import static com.kubetelemetry.query.traces.TraceFixtures.FETCH;
import static com.kubetelemetry.query.traces.TraceFixtures.NOW;
import static com.kubetelemetry.query.traces.TraceFixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import org.junit.jupiter.api.Test;

class TraceFetchCompilerTest {
  static final String ID = "0af7651916cd43dd8448eb211c80319c";
  static final String COLUMNS = """
      SELECT
          TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,
          toUnixTimestamp64Nano(Timestamp) AS StartNanos, Duration, StatusCode, StatusMessage,
          SpanAttributes, ResourceAttributes, ScopeName, ScopeVersion,
          arrayMap(t -> toUnixTimestamp64Nano(t), Events.Timestamp) AS EventNanos, Events.Name,
          Events.Attributes, Links.TraceId, Links.SpanId, Links.TraceState, Links.Attributes
      FROM `otel`.`otel_traces`
      WHERE TenantId = {p0:String}
        AND TraceId = {p1:String}
      """;

  @Test
  void withoutAHintThePeriodComesFromTheTraceIdLookup() {
    Sql sql = FETCH.compile(TENANT, TraceFetch.of(ID.toUpperCase()));
    assertThat(sql.text()).isEqualTo("""
        WITH
            (SELECT (toDateTime64(min(Start), 9), toDateTime64(max(End), 9) + toIntervalSecond(1))
             FROM `otel`.`otel_traces_trace_id_ts` WHERE TenantId = {p0:String} AND TraceId = {p1:String}) \
        AS TraceBounds
        """ + COLUMNS + """
          AND Timestamp >= TraceBounds.1
          AND Timestamp < TraceBounds.2
        ORDER BY Timestamp, SpanId
        LIMIT {p2:UInt32}""");
    assertThat(sql.params()).containsExactly(new Param("p0", "String", "acme"), new Param("p1", "String", ID),
        new Param("p2", "UInt32", 10_001));
    assertThat(sql.settings()).containsEntry("readonly", "1").containsEntry("max_execution_time", "30");
  }

  @Test
  void aHintBoundsTheReadDirectly() {
    Sql sql = FETCH.compile(TENANT, new TraceFetch(ID, TimeRange.last("15m"), 5));
    assertThat(sql.text()).isEqualTo(COLUMNS + """
          AND Timestamp >= {p2:DateTime64(9)}
          AND Timestamp < {p3:DateTime64(9)}
        ORDER BY Timestamp, SpanId
        LIMIT {p4:UInt32}""");
    assertThat(sql.params()).containsExactly(new Param("p0", "String", "acme"), new Param("p1", "String", ID),
        new Param("p2", "DateTime64(9)", NOW.minusSeconds(900)), new Param("p3", "DateTime64(9)", NOW),
        new Param("p4", "UInt32", 6));
  }

  @Test
  void badIdsHintsAndLimitsNameTheirField() {
    for (String bad : new String[] {"", "abc", ID + "0", ID.replace('a', 'g'), "0".repeat(32),
        ID.substring(0, 31) + "\0", ID.substring(0, 31) + "é"}) {
      assertThatThrownBy(() -> FETCH.compile(TENANT, TraceFetch.of(bad))).as(bad)
          .isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.field()).isEqualTo("trace_id");
            assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
          });
    }
    assertThatThrownBy(() -> FETCH.compile(TENANT, TraceFetch.of(null)))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("trace_id"));
    assertThatThrownBy(() -> FETCH.compile(TENANT, new TraceFetch(ID, TimeRange.last("soon"), 0)))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.field()).isEqualTo("time_hint.relative");
          assertThat(e.getMessage()).contains("`time_hint.relative`");
        });
    assertThatThrownBy(() -> FETCH.compile(TENANT, new TraceFetch(ID, TimeRange.last("90d"), 0)))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.field()).isEqualTo("time_hint.relative");
          assertThat(e.kind()).isEqualTo(QueryException.Kind.RESOURCE_EXHAUSTED);
        });
    assertThatThrownBy(() -> FETCH.compile(TENANT, new TraceFetch(ID, null, 100_001)))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("span_limit"));
    assertThatThrownBy(() -> FETCH.compile(TENANT, new TraceFetch(ID, null, -1)))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("span_limit"));
    assertThat(FETCH.compile(TENANT, new TraceFetch(ID, null, 100_000)).params().getLast().value())
        .isEqualTo(100_001);
  }

  @Test
  void idsAreLowercasedWhateverTheirCase() {
    assertThat(TraceIdText.normalize("0AF7651916cd43DD8448eb211C80319C", "trace_id")).isEqualTo(ID);
  }
}
