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
          SELECT p.ServiceName AS Caller, c.Matched AS Matched,
              if(Matched, c.ServiceName, p.PeerName) AS Callee,
              if(Matched, 'service', p.PeerKind) AS CalleeKind,
              p.Failed OR c.Failed AS Failed,
              if(p.Outgoing OR NOT Matched, p.Duration, c.Duration) AS Latency
          FROM (
              SELECT cityHash64(TraceId, SpanId) AS Key, ServiceName, Duration,
                  SpanKind IN ('Client', 'Producer') AS Outgoing, StatusCode = 'Error' AS Failed,
                  if(SpanAttributes['db.system.name'] != '', SpanAttributes['db.system.name'],
                      SpanAttributes['db.system']) AS DbSystem,
                  SpanAttributes['server.address'] AS Address, SpanAttributes['messaging.system'] AS Broker,
                  multiIf(DbSystem != '', if(Address != '', Address, DbSystem), Broker != '', Broker,
                      SpanAttributes['peer.service'] != '', SpanAttributes['peer.service'],
                      Address) AS PeerName,
                  multiIf(DbSystem != '', 'database', Broker != '', 'messaging', 'external') AS PeerKind
              FROM `otel`.`otel_traces`
              WHERE TenantId = {p0:String} AND Timestamp >= {p1:DateTime64(9)} AND Timestamp < {p2:DateTime64(9)}
          ) AS p
          LEFT JOIN (
              SELECT cityHash64(TraceId, ParentSpanId) AS Key, ServiceName, Duration,
                  StatusCode = 'Error' AS Failed, true AS Matched
              FROM `otel`.`otel_traces`
              WHERE TenantId = {p0:String} AND Timestamp >= {p1:DateTime64(9)} AND Timestamp < {p2:DateTime64(9)}
                  AND SpanKind IN ('Server', 'Consumer') AND ParentSpanId != ''
          ) AS c ON p.Key = c.Key
          WHERE (Matched AND c.ServiceName != p.ServiceName)
              OR (NOT Matched AND p.Outgoing AND p.PeerName != '')
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
    assertThat(sql.settings()).containsEntry("join_use_nulls", "0").containsEntry("readonly", "1");
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
