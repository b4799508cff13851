/** Generates the read benchmark's data inside the engine: 10M spans and 10M metric points over the last 24 hours. */
package com.kubetelemetry.bench;

import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.Store;
import java.time.Instant;
import java.util.List;

/**
 * INSERT ... SELECT FROM numbers() writes the rows in the engine (seconds, not minutes of OTLP), through the
 * same tables and materialized views OTLP ingest feeds. Shape: 1M traces of 10 spans spread over 24 hours, 20
 * services, span attributes with a 2% error rate; 5M gauge points and 5M cumulative counter points (10 metrics of
 * 50 series each per table, one point every 8.64 s, counters reset every 3,000 points).
 */
final class ReadBenchData {
  static final String TENANT = "bench";
  static final int TRACES = 1_000_000;
  static final int SPANS_PER_TRACE = 10;
  static final int SERIES = 500;
  static final int POINTS_PER_SERIES = 10_000;
  static final long DAY_NANOS = 86_400_000_000_000L;

  private final SchemaOptions schema;
  private final long startNanos;

  ReadBenchData(SchemaOptions schema, Instant end) {
    this.schema = schema;
    this.startNanos = (end.getEpochSecond() * 1_000_000_000L + end.getNano()) - DAY_NANOS;
  }

  void load(Store store) {
    store.execute(List.of(spans(), gauges(), counters()));
  }

  /** True when a previous run already generated the data (kept with -Dbench.dataDir). */
  static boolean loaded(Store store, SchemaOptions schema) {
    return !store.query(Sql.of("SELECT 1 FROM " + schema.qualified("otel_traces") + " WHERE TenantId = {t:String} "
        + "LIMIT 1", new Param("t", "String", TENANT)), "TabSeparated").text().isBlank();
  }

  /** Trace id of trace number {@code n}, as the generator writes it (for GetTrace). */
  static String traceId(Store store, int n) {
    return store.query(Sql.of("SELECT concat(lower(hex(cityHash64({n:UInt64}, 'a'))), "
        + "lower(hex(cityHash64({n:UInt64}, 'b'))))", new Param("n", "UInt64", (long) n)), "TabSeparated")
        .text().strip();
  }

  private Sql spans() {
    long perTrace = DAY_NANOS / TRACES;
    return Sql.of("INSERT INTO " + schema.qualified("otel_traces") + " (TenantId, Timestamp, TraceId, SpanId, "
        + "ParentSpanId, SpanName, SpanKind, ServiceName, ResourceAttributes, ScopeName, SpanAttributes, Duration, "
        + "StatusCode)\n"
        + "SELECT {tenant:String}, fromUnixTimestamp64Nano(toInt64({start:Int64} + t * " + perTrace
        + " + s * 2000000)),\n"
        + "  concat(lower(hex(cityHash64(t, 'a'))), lower(hex(cityHash64(t, 'b')))),\n"
        + "  lower(hex(cityHash64(number))),\n"
        + "  if(s = 0, '', lower(hex(cityHash64(t * 10 + intDiv(s - 1, 3))))),\n"
        + "  concat('op-', toString(cityHash64(number, 'op') % 10)),\n"
        + "  if(s = 0 OR s % 2 = 0, 'Server', 'Client'),\n"
        + "  svc,\n"
        + "  map('service.name', svc, 'k8s.namespace.name', concat('ns-', toString(t % 5)),\n"
        + "      'k8s.pod.name', concat(svc, '-pod-', toString(cityHash64(t, 'p') % 50))),\n"
        + "  'bench',\n"
        + "  map('http.method', if(number % 3 = 0, 'POST', 'GET'), 'http.status_code', if(failed, '500', '200'),\n"
        + "      'http.route', concat('/api/', toString(cityHash64(number, 'r') % 100)),\n"
        + "      'user.id', toString(cityHash64(t, 'u') % 100000)),\n"
        + "  100000 + cityHash64(number, 'd') % 200000000,\n"
        + "  if(failed, 'Error', 'Ok')\n"
        + "FROM (SELECT number, intDiv(number, " + SPANS_PER_TRACE + ") AS t, number % " + SPANS_PER_TRACE
        + " AS s, concat('svc-', toString((t + s) % 20)) AS svc, cityHash64(number, 'e') % 50 = 0 AS failed\n"
        + "      FROM numbers(" + (long) TRACES * SPANS_PER_TRACE + "))",
        new Param("tenant", "String", TENANT), new Param("start", "Int64", startNanos));
  }

  private Sql gauges() {
    return Sql.of("INSERT INTO " + schema.qualified("otel_metrics_gauge") + " (TenantId, ResourceAttributes, "
        + "ServiceName, MetricName, MetricUnit, Attributes, StartTimeUnix, TimeUnix, Value)\n"
        + "SELECT {tenant:String}, map('service.name', svc), svc, concat('bench.gauge.', toString(series % 10)),\n"
        + "  '1', map('pod', concat('pod-', toString(intDiv(series, 10))), 'zone', concat('z', toString(series % 3))),\n"
        + "  ts, ts, 50 + 40 * sin(i / 100 + series)\n"
        + points(), new Param("tenant", "String", TENANT), new Param("start", "Int64", startNanos));
  }

  private Sql counters() {
    return Sql.of("INSERT INTO " + schema.qualified("otel_metrics_sum") + " (TenantId, ResourceAttributes, "
        + "ServiceName, MetricName, MetricUnit, Attributes, StartTimeUnix, TimeUnix, Value, "
        + "AggregationTemporality, IsMonotonic)\n"
        + "SELECT {tenant:String}, map('service.name', svc), svc, concat('bench.requests.', toString(series % 10)),\n"
        + "  '1', map('pod', concat('pod-', toString(intDiv(series, 10))), 'zone', concat('z', toString(series % 3))),\n"
        + "  reset, ts, (i % 3000) * (1 + series % 7), 2, true\n"
        + points(), new Param("tenant", "String", TENANT), new Param("start", "Int64", startNanos));
  }

  private static String points() {
    long step = DAY_NANOS / POINTS_PER_SERIES;
    return "FROM (SELECT number % " + SERIES + " AS series, intDiv(number, " + SERIES + ") AS i,\n"
        + "      concat('svc-', toString(series % 20)) AS svc,\n"
        + "      fromUnixTimestamp64Nano(toInt64({start:Int64} + i * " + step + ")) AS ts,\n"
        + "      fromUnixTimestamp64Nano(toInt64({start:Int64} + (i - i % 3000) * " + step + ")) AS reset\n"
        + "      FROM numbers(" + (long) SERIES * POINTS_PER_SERIES + "))";
  }

}
