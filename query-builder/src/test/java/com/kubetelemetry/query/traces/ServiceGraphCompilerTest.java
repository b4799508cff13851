/** Exact SQL and parameters of service graph queries, and the validation of the service filter. */
package com.kubetelemetry.query.traces;

import static com.kubetelemetry.query.traces.TraceFixtures.GRAPH;
import static com.kubetelemetry.query.traces.TraceFixtures.NOW;
import static com.kubetelemetry.query.traces.TraceFixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceGraphCompilerTest {
  static final String FILTERED = """
      SELECT Caller, Callee, CalleeKind, count() AS Calls, countIf(Failed) AS Errors,
          Latencies[1] AS P50Nanos, Latencies[2] AS P95Nanos,
          quantilesExact(0.5, 0.95)(Latency) AS Latencies
      FROM (
          SELECT p.ServiceName AS Caller, c.ServiceName AS Callee, 'service' AS CalleeKind,
              p.StatusCode = 'Error' OR c.StatusCode = 'Error' AS Failed,
              if(p.SpanKind IN ('Client', 'Producer'), p.Duration, c.Duration) AS Latency
          FROM (SELECT TraceId, ParentSpanId, ServiceName, StatusCode, Duration FROM `otel`.`otel_traces`
              WHERE TenantId = {p0:String} AND Timestamp >= {p1:DateTime64(9)} AND Timestamp < {p2:DateTime64(9)}
              AND ParentSpanId != '') AS c
          INNER JOIN (SELECT TraceId, SpanId, ServiceName, SpanKind, StatusCode, Duration FROM `otel`.`otel_traces`
              WHERE TenantId = {p0:String} AND Timestamp >= {p1:DateTime64(9)} AND Timestamp < {p2:DateTime64(9)}) AS p
          ON c.TraceId = p.TraceId AND c.ParentSpanId = p.SpanId
          WHERE c.ServiceName != p.ServiceName
          UNION ALL
          SELECT Caller, Callee, CalleeKind, Failed, Latency FROM (
              SELECT ServiceName AS Caller, StatusCode = 'Error' AS Failed, Duration AS Latency,
                  if(SpanAttributes['db.system.name'] != '', SpanAttributes['db.system.name'],
                      SpanAttributes['db.system']) AS DbSystem,
                  SpanAttributes['server.address'] AS Address, SpanAttributes['messaging.system'] AS Broker,
                  multiIf(DbSystem != '', if(Address != '', Address, DbSystem), Broker != '', Broker,
                      SpanAttributes['peer.service'] != '', SpanAttributes['peer.service'],
                      Address) AS Callee,
                  multiIf(DbSystem != '', 'database', Broker != '', 'messaging', 'external') AS CalleeKind
              FROM `otel`.`otel_traces`
              WHERE TenantId = {p0:String} AND Timestamp >= {p1:DateTime64(9)} AND Timestamp < {p2:DateTime64(9)}
                  AND SpanKind IN ('Client', 'Producer')
                  AND (TraceId, SpanId) NOT IN (SELECT TraceId, ParentSpanId FROM `otel`.`otel_traces`
                      WHERE TenantId = {p0:String} AND Timestamp >= {p1:DateTime64(9)} AND Timestamp < {p2:DateTime64(9)}
                      AND SpanKind IN ('Server', 'Consumer') AND ParentSpanId != '')
          )
          WHERE Callee != ''
      )
      WHERE has({p3:Array(String)}, Caller) OR has({p3:Array(String)}, Callee)
      GROUP BY Caller, Callee, CalleeKind
      ORDER BY Calls DESC, Caller, Callee, CalleeKind
      LIMIT {p4:UInt32}""";

  @Test
  void edgesTouchingTheNamedServices() {
    Sql sql = GRAPH.compile(TENANT, new ServiceGraphQuery(null, List.of("a")));
    assertThat(sql.text()).isEqualTo(FILTERED);
    assertThat(sql.params()).containsExactly(new Param("p0", "String", "acme"),
        new Param("p1", "DateTime64(9)", NOW.minusSeconds(3600)), new Param("p2", "DateTime64(9)", NOW),
        new Param("p3", "Array(String)", List.of("a")), new Param("p4", "UInt32", 10_000));
  }

  @Test
  void theWholeGraphHasNoServiceFilter() {
    Sql sql = GRAPH.compile(TENANT, new ServiceGraphQuery(null, List.of()));
    assertThat(sql.text()).isEqualTo(FILTERED.replace(
        "WHERE has({p3:Array(String)}, Caller) OR has({p3:Array(String)}, Callee)\n", "").replace("p4", "p3"));
    assertThat(sql.params()).hasSize(4);
  }

  @Test
  void serviceFilterIsValidated() {
    assertThatThrownBy(() -> GRAPH.compile(TENANT, new ServiceGraphQuery(null, List.of("a", ""))))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("service_names[1]"));
    assertThatThrownBy(() -> GRAPH.compile(TENANT, new ServiceGraphQuery(null, Collections.nCopies(101, "a"))))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("service_names"));
  }
}
