/** Exact SQL, parameters and output columns for every shape of structured query, and the validation errors. */
package com.kubetelemetry.query.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.structured.StructuredQuery.Function;
import com.kubetelemetry.query.structured.StructuredQuery.Ordering;
import com.kubetelemetry.query.structured.StructuredQuery.Selection;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructuredQueryCompilerTest {
  static AttributeRef field(String key) {
    return new AttributeRef(Target.COLUMN, key);
  }

  static AttributeRef resource(String key) {
    return new AttributeRef(Target.RESOURCE, key);
  }

  static AttributeRef item(String key) {
    return new AttributeRef(Target.ITEM, key);
  }

  static AttributeRef scope(String key) {
    return new AttributeRef(Target.SCOPE, key);
  }

  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final StructuredQueryCompiler COMPILER = new StructuredQueryCompiler(new SchemaOptions("otel", 0, 0, 0),
      TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC)), new QueryLimits(30, 1000, 500));
  static final TenantId ACME = new TenantId("acme");
  static final Instant START = NOW.minus(Duration.ofHours(1));

  static StructuredQuery query(QuerySignal signal, List<Selection> select) {
    return new StructuredQuery(signal, select, List.of(), List.of(), null, List.of(), 0);
  }

  static CompiledQuery compile(StructuredQuery q) {
    return COMPILER.compile(ACME, q, null, RowBudget.QUERY);
  }

  @Test
  void rawRowsAreNewestFirstWithTypedColumns() {
    CompiledQuery c = compile(query(QuerySignal.TRACES, List.of(Selection.of(field("span_name")),
        Selection.of(field("duration_nanos")), Selection.of(resource("k8s.pod.name")))));
    assertThat(c.sql().text()).isEqualTo("""
        SELECT
            SpanName AS c0,
            Duration AS c1,
            if(mapContains(ResourceAttributes, {p3:String}), ResourceAttributes[{p3:String}], NULL) AS c2
        FROM `otel`.`otel_traces`
        WHERE TenantId = {p0:String}
          AND Timestamp >= {p1:DateTime64(9)}
          AND Timestamp < {p2:DateTime64(9)}
        ORDER BY Timestamp DESC
        LIMIT {p4:UInt32}""");
    assertThat(c.sql().params()).containsExactly(new Param("p0", "String", "acme"),
        new Param("p1", "DateTime64(9)", START), new Param("p2", "DateTime64(9)", NOW),
        new Param("p3", "String", "k8s.pod.name"), new Param("p4", "UInt32", 101L));
    assertThat(c.columns()).containsExactly(new OutputColumn("field.span_name", ValueType.STRING),
        new OutputColumn("field.duration_nanos", ValueType.INT64),
        new OutputColumn("resource.k8s.pod.name", ValueType.STRING));
    assertThat(c.limit()).isEqualTo(100);
    assertThat(c.sql().settings()).containsEntry("max_result_rows", "101").containsEntry("readonly", "1")
        .containsEntry("max_execution_time", "30").containsEntry("max_rows_to_read", "1000");
  }

  @Test
  void bucketedGroupedAggregatesWithFilters() {
    StructuredQuery q = new StructuredQuery(QuerySignal.TRACES, List.of(
        Selection.of(field("service_name")).as("service"),
        Selection.of(Function.COUNT, null),
        Selection.of(Function.AVG, field("duration_nanos")),
        new Selection(field("duration_nanos"), Function.QUANTILE, 0.95, ""),
        Selection.of(Function.COUNT_DISTINCT, field("trace_id")).as("traces")),
        List.of(AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.EQ, "prod"),
            AttributeMatcher.of(Target.COLUMN, "status_code", Op.IN, "Error", "Ok")),
        List.of(field("service_name")), Duration.ofMinutes(5),
        List.of(new Ordering("time", false), new Ordering("count", true)), 50);
    CompiledQuery c = compile(q);
    assertThat(c.sql().text()).isEqualTo("""
        SELECT
            intDiv(toUnixTimestamp64Nano(Timestamp), {p3:Int64}) * {p3:Int64} AS bucket,
            ServiceName AS c0,
            count() AS c1,
            avg(Duration) AS c2,
            quantile({p4:Float64})(Duration) AS c3,
            uniq(TraceId) AS c4
        FROM `otel`.`otel_traces`
        WHERE TenantId = {p0:String}
          AND Timestamp >= {p1:DateTime64(9)}
          AND Timestamp < {p2:DateTime64(9)}
          AND ResourceAttributes[{p5:String}] = {p6:String}
          AND has({p7:Array(String)}, StatusCode)
        GROUP BY bucket, c0
        ORDER BY bucket, c1 DESC
        LIMIT {p8:UInt32}""");
    assertThat(c.sql().params()).extracting(Param::value).containsExactly("acme", START, NOW,
        300_000_000_000L, 0.95, "k8s.namespace.name", "prod", List.of("Error", "Ok"), 51L);
    assertThat(c.columns()).containsExactly(new OutputColumn("time", ValueType.TIMESTAMP),
        new OutputColumn("service", ValueType.STRING), new OutputColumn("count", ValueType.INT64),
        new OutputColumn("avg(field.duration_nanos)", ValueType.DOUBLE),
        new OutputColumn("quantile(0.95, field.duration_nanos)", ValueType.DOUBLE),
        new OutputColumn("traces", ValueType.INT64));
  }

  @Test
  void metricsReadGaugesAndSumsTogetherAndAggregateAttributes() {
    StructuredQuery q = new StructuredQuery(QuerySignal.METRICS, List.of(
        Selection.of(item("host")),
        Selection.of(Function.SUM, field("value")),
        Selection.of(Function.MAX, item("cpu")),
        Selection.of(Function.MIN, field("metric_name")),
        Selection.of(Function.COUNT, scope("lib.flag")),
        Selection.of(Function.RATE, null)),
        List.of(AttributeMatcher.of(Target.COLUMN, "metric_name", Op.EQ, "cpu.usage")),
        List.of(item("host")), null, List.of(), 0);
    CompiledQuery c = compile(q);
    assertThat(c.sql().text()).isEqualTo("""
        SELECT
            if(mapContains(Attributes, {p4:String}), Attributes[{p4:String}], NULL) AS c0,
            sum(Value) AS c1,
            max(toFloat64OrNull(Attributes[{p5:String}])) AS c2,
            min(MetricName) AS c3,
            countIf(mapContains(ScopeAttributes, {p6:String})) AS c4,
            count() / {p3:Float64} AS c5
        FROM (
            SELECT TenantId, TimeUnix, ServiceName, MetricName, MetricDescription, MetricUnit, Value, \
        ResourceAttributes, ScopeName, ScopeVersion, ScopeAttributes, Attributes FROM `otel`.`otel_metrics_gauge`
            UNION ALL
            SELECT TenantId, TimeUnix, ServiceName, MetricName, MetricDescription, MetricUnit, Value, \
        ResourceAttributes, ScopeName, ScopeVersion, ScopeAttributes, Attributes FROM `otel`.`otel_metrics_sum`
        )
        WHERE TenantId = {p0:String}
          AND TimeUnix >= {p1:DateTime64(9)}
          AND TimeUnix < {p2:DateTime64(9)}
          AND MetricName = {p7:String}
        GROUP BY c0
        ORDER BY c0
        LIMIT {p8:UInt32}""");
    assertThat(c.sql().params()).extracting(Param::value).containsExactly("acme", START, NOW, 3600.0, "host",
        "cpu", "lib.flag", "cpu.usage", 101L);
    assertThat(c.columns()).extracting(OutputColumn::name).containsExactly("attribute.host", "sum(field.value)",
        "max(attribute.cpu)", "min(field.metric_name)", "count(scope.lib.flag)", "rate");
    assertThat(c.columns()).extracting(OutputColumn::type).containsExactly(ValueType.STRING, ValueType.DOUBLE,
        ValueType.DOUBLE, ValueType.STRING, ValueType.INT64, ValueType.DOUBLE);
  }

  @Test
  void logsRateOverBucketsAndExplicitOrderOfRawRows() {
    StructuredQuery bucketed = new StructuredQuery(QuerySignal.LOGS, List.of(
        Selection.of(Function.RATE, item("user")).as("per_second"),
        Selection.of(Function.SUM, field("severity_number"))), List.of(), List.of(),
        Duration.ofSeconds(30), List.of(), 0);
    CompiledQuery c = COMPILER.compile(ACME, bucketed, TimeRange.last("15m"), RowBudget.STREAM);
    assertThat(c.sql().text()).isEqualTo("""
        SELECT
            intDiv(toUnixTimestamp64Nano(Timestamp), {p3:Int64}) * {p3:Int64} AS bucket,
            countIf(mapContains(LogAttributes, {p5:String})) / {p4:Float64} AS c0,
            sum(SeverityNumber) AS c1
        FROM `otel`.`otel_logs`
        WHERE TenantId = {p0:String}
          AND Timestamp >= {p1:DateTime64(9)}
          AND Timestamp < {p2:DateTime64(9)}
        GROUP BY bucket
        ORDER BY bucket
        LIMIT {p6:UInt32}""");
    assertThat(c.sql().params()).extracting(Param::value).containsExactly("acme", NOW.minusSeconds(900), NOW,
        30_000_000_000L, 30.0, "user", 10_001L);
    assertThat(c.limit()).isEqualTo(RowBudget.STREAM.defaultLimit());
    assertThat(c.columns()).extracting(OutputColumn::type).containsExactly(ValueType.TIMESTAMP,
        ValueType.DOUBLE, ValueType.INT64);

    StructuredQuery raw = new StructuredQuery(QuerySignal.LOGS, List.of(Selection.of(field("body")),
        Selection.of(scope("lib")).as("lib")), List.of(), List.of(), null,
        List.of(new Ordering("lib", true), new Ordering("time", false)), 7);
    assertThat(compile(raw).sql().text()).isEqualTo("""
        SELECT
            Body AS c0,
            if(mapContains(ScopeAttributes, {p3:String}), ScopeAttributes[{p3:String}], NULL) AS c1
        FROM `otel`.`otel_logs`
        WHERE TenantId = {p0:String}
          AND Timestamp >= {p1:DateTime64(9)}
          AND Timestamp < {p2:DateTime64(9)}
        ORDER BY c1 DESC, Timestamp
        LIMIT {p4:UInt32}""");
  }

  @Test
  void tracesScopeNameAndOneRowAggregates() {
    StructuredQuery q = query(QuerySignal.TRACES, List.of(Selection.of(scope("name")),
        Selection.of(Function.MAX, field("duration_nanos"))));
    q = new StructuredQuery(q.signal(), q.select(), List.of(), List.of(scope("name")), null, List.of(),
        0);
    assertThat(compile(q).sql().text()).contains("    ScopeName AS c0,\n    max(Duration) AS c1\n")
        .contains("GROUP BY c0\nORDER BY c0\n");
    assertThat(compile(q).columns()).extracting(OutputColumn::type).containsExactly(ValueType.STRING,
        ValueType.INT64);
    CompiledQuery total = compile(query(QuerySignal.LOGS, List.of(Selection.of(Function.COUNT, null))));
    assertThat(total.sql().text()).doesNotContain("GROUP BY").doesNotContain("ORDER BY");
  }

  @Test
  void invalidQueriesNameTheField() {
    Map<String, StructuredQuery> cases = new java.util.LinkedHashMap<>();
    Selection count = Selection.of(Function.COUNT, null);
    cases.put("query.signal", query(null, List.of(count)));
    cases.put("query.select", query(QuerySignal.TRACES, List.of()));
    cases.put("query.select[0].field.key", query(QuerySignal.TRACES, List.of(Selection.of(field("x")))));
    cases.put("query.select[1].field", query(QuerySignal.LOGS, List.of(count, Selection.of(Function.SUM, null))));
    cases.put("query.select[0].function", query(QuerySignal.TRACES,
        List.of(Selection.of(Function.AVG, field("span_name")))));
    cases.put("query.select[0].quantile", query(QuerySignal.TRACES,
        List.of(new Selection(field("duration_nanos"), Function.QUANTILE, 1.5, ""))));
    cases.put("query.select[0].alias", query(QuerySignal.TRACES, List.of(count.as("bad name"))));
    cases.put("query.select[1].alias", query(QuerySignal.TRACES, List.of(count, count)));
    cases.put("query.select[0]", query(QuerySignal.TRACES,
        List.of(Selection.of(field("span_name")), count)));
    cases.put("query.select[0].field.key", query(QuerySignal.TRACES, List.of(Selection.of(scope("x")))));
    cases.put("query.group_by[0]", new StructuredQuery(QuerySignal.TRACES, List.of(count), List.of(),
        List.of(field("span_name")), null, List.of(), 0));
    cases.put("query.order_by[0].column", new StructuredQuery(QuerySignal.TRACES, List.of(count), List.of(),
        List.of(), null, List.of(new Ordering("nope", false)), 0));
    cases.put("query.filters[0].key", new StructuredQuery(QuerySignal.METRICS, List.of(count),
        List.of(AttributeMatcher.of(Target.COLUMN, "Duration", Op.EQ, "1")), List.of(), null, List.of(), 0));
    cases.put("query.time_bucket", new StructuredQuery(QuerySignal.LOGS, List.of(count), List.of(), List.of(),
        Duration.ofMillis(10), List.of(), 0));
    cases.put("query.limit", new StructuredQuery(QuerySignal.LOGS, List.of(count), List.of(), List.of(), null,
        List.of(), -1));
    for (var e : cases.entrySet()) {
      assertThatThrownBy(() -> compile(e.getValue())).as(e.getKey()).isInstanceOfSatisfying(QueryException.class,
          ex -> {
            assertThat(ex.field()).isEqualTo(e.getKey());
            assertThat(ex.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
          });
    }
  }

  @Test
  void unknownFieldListsTheAllowedOnes() {
    assertThatThrownBy(() -> compile(query(QuerySignal.LOGS, List.of(Selection.of(field("Body"))))))
        .hasMessageContaining("unknown field `Body` for logs: use one of body, event_name, scope_name,");
  }

  @Test
  void limitsAboveTheMethodsMaximumAreResourceExhausted() {
    StructuredQuery q = new StructuredQuery(QuerySignal.LOGS, List.of(Selection.of(Function.COUNT, null)),
        List.of(), List.of(), null, List.of(), 10_001);
    assertThatThrownBy(() -> compile(q)).isInstanceOfSatisfying(QueryException.class, ex -> {
      assertThat(ex.kind()).isEqualTo(QueryException.Kind.RESOURCE_EXHAUSTED);
      assertThat(ex.field()).isEqualTo("query.limit");
      assertThat(ex.getMessage()).contains("Query returns at most 10000 rows").contains("StreamQuery");
    });
    CompiledQuery streamed = COMPILER.compile(ACME, q, null, RowBudget.STREAM);
    assertThat(streamed.limit()).isEqualTo(10_001);
    assertThat(streamed.sql().settings()).containsEntry("max_result_rows", "10002");
  }

  @Test
  void tooManyBucketsIsResourceExhausted() {
    StructuredQuery q = new StructuredQuery(QuerySignal.LOGS, List.of(Selection.of(Function.COUNT, null)),
        List.of(), List.of(), Duration.ofSeconds(1), List.of(), 0);
    assertThatThrownBy(() -> COMPILER.compile(ACME, q, TimeRange.last("1d"), RowBudget.QUERY))
        .isInstanceOfSatisfying(QueryException.class, ex -> {
          assertThat(ex.kind()).isEqualTo(QueryException.Kind.RESOURCE_EXHAUSTED);
          assertThat(ex.field()).isEqualTo("query.time_bucket");
        });
  }
}
