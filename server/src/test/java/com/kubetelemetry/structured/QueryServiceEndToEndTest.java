/** QueryService through the real server: spans sent over OTLP, answers checked against values computed in Java. */
package com.kubetelemetry.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.AggregateFunction;
import com.kubetelemetry.api.v1.AttributeMatcher;
import com.kubetelemetry.api.v1.AttributeRef;
import com.kubetelemetry.api.v1.AttributeTarget;
import com.kubetelemetry.api.v1.Column;
import com.kubetelemetry.api.v1.ExplainRequest;
import com.kubetelemetry.api.v1.ExplainedStatement;
import com.kubetelemetry.api.v1.GetTraceRequest;
import com.kubetelemetry.api.v1.MatchOperator;
import com.kubetelemetry.api.v1.OrderBy;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.QueryRequest;
import com.kubetelemetry.api.v1.QueryResponse;
import com.kubetelemetry.api.v1.QueryServiceGrpc;
import com.kubetelemetry.api.v1.Row;
import com.kubetelemetry.api.v1.SearchLogsRequest;
import com.kubetelemetry.api.v1.SearchTracesRequest;
import com.kubetelemetry.api.v1.SelectExpression;
import com.kubetelemetry.api.v1.Signal;
import com.kubetelemetry.api.v1.SortOrder;
import com.kubetelemetry.api.v1.StructuredQuery;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.api.v1.Value;
import com.kubetelemetry.api.v1.ValueType;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.logs.LogsPlanner;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.kubetelemetry.traces.TracesGrpcService;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueryServiceEndToEndTest {
  private static final List<String> SERVICES = List.of("frontend", "checkout", "payment");
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;
  private static final long MINUTE = 60_000_000_000L;

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withQuery(
      new ServerConfig.QuerySection(Duration.ofHours(1), Duration.ofDays(2), Duration.ofSeconds(30), 1_000_000_000L,
          100_000L, 1000, 11000)));

  /** One span as the test remembers it. */
  record SentSpan(String tenant, String service, long start, long durationNanos, String namespace) {}

  private static final List<SentSpan> SENT = new ArrayList<>();
  /** Absolute range covering every span sent, aligned to 10 minutes so buckets are whole. */
  private static final long RANGE_START = Math.floorDiv(NOW - 55 * MINUTE, 10 * MINUTE) * 10 * MINUTE;
  private static final long RANGE_END = RANGE_START + 60 * MINUTE;

  @BeforeAll
  static void sendSpans() {
    Random random = new Random(7);
    var stub = GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    for (String tenant : List.of("acme", "globex")) {
      List<String> services = tenant.equals("acme") ? SERVICES : List.of("globex-only");
      ExportTraceServiceRequest.Builder export = ExportTraceServiceRequest.newBuilder();
      for (int i = 0; i < 300; i++) {
        String service = services.get(random.nextInt(services.size()));
        long start = RANGE_START + MINUTE + (long) (random.nextDouble() * 58 * MINUTE);
        long duration = (1 + random.nextInt(2000)) * 1_000_000L;
        String namespace = random.nextInt(3) == 0 ? "dev" : "prod";
        SentSpan s = new SentSpan(tenant, service, start, duration, namespace);
        SENT.add(s);
        byte[] id = new byte[8];
        random.nextBytes(id);
        export.addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(text("service.name", service))
                .addAttributes(text("tenant.id", tenant)).addAttributes(text("k8s.namespace.name", namespace)))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
                .setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(id))
                .setName("op").setStartTimeUnixNano(start).setEndTimeUnixNano(start + duration))));
      }
      stub.export(export.build());
    }
  }

  @Test
  void groupedCountsSumsQuantilesAndTimeBucketsMatchJava() {
    StructuredQuery query = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_TRACES)
        .addSelect(select(field("service_name"), AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addSelect(SelectExpression.newBuilder().setFunction(AggregateFunction.AGGREGATE_FUNCTION_COUNT))
        .addSelect(select(field("duration_nanos"), AggregateFunction.AGGREGATE_FUNCTION_SUM))
        .addSelect(select(field("duration_nanos"), AggregateFunction.AGGREGATE_FUNCTION_QUANTILE).setQuantile(0.9)
            .setAlias("p90"))
        .addGroupBy(field("service_name"))
        .setTimeBucket(com.google.protobuf.Duration.newBuilder().setSeconds(600))
        .setLimit(1000).build();
    QueryResponse response = query("acme", query);
    assertThat(response.getColumnsList()).extracting(Column::getName)
        .containsExactly("time", "field.service_name", "count", "sum(field.duration_nanos)", "p90");
    assertThat(response.getColumnsList()).extracting(Column::getType).containsExactly(
        ValueType.VALUE_TYPE_TIMESTAMP, ValueType.VALUE_TYPE_STRING, ValueType.VALUE_TYPE_INT64,
        ValueType.VALUE_TYPE_INT64, ValueType.VALUE_TYPE_DOUBLE);
    TreeMap<String, List<Long>> expected = new TreeMap<>();
    for (SentSpan s : spans("acme")) {
      long bucket = Math.floorDiv(s.start(), 10 * MINUTE) * 10 * MINUTE;
      expected.computeIfAbsent(String.format("%020d|%s", bucket, s.service()), k -> new ArrayList<>())
          .add(s.durationNanos());
    }
    assertThat(response.getRowsList()).extracting(r -> String.format("%020d|%s",
        nanos(r.getValues(0).getTimestampValue()), r.getValues(1).getStringValue()))
        .containsExactlyElementsOf(expected.keySet());
    for (Row row : response.getRowsList()) {
      String key = String.format("%020d|%s", nanos(row.getValues(0).getTimestampValue()),
          row.getValues(1).getStringValue());
      List<Long> sorted = expected.get(key).stream().sorted().toList();
      assertThat(row.getValues(2).getIntValue()).isEqualTo(sorted.size());
      assertThat(row.getValues(3).getIntValue()).isEqualTo(sorted.stream().mapToLong(Long::longValue).sum());
      // quantile() interpolates between the two ranks around q * (n - 1): the answer lies between them
      double rank = 0.9 * (sorted.size() - 1);
      assertThat(row.getValues(4).getDoubleValue()).isBetween(
          (double) sorted.get((int) Math.floor(rank)), (double) sorted.get((int) Math.ceil(rank)));
    }
    assertThat(response.getTruncated()).isFalse();
    assertThat(response.getStats().getRowsRead()).isPositive();
  }

  @Test
  void filtersOnResourceAttributesAndAveragesMatchJava() {
    StructuredQuery query = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_TRACES)
        .addSelect(select(resource("k8s.namespace.name"), AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addSelect(select(field("duration_nanos"), AggregateFunction.AGGREGATE_FUNCTION_AVG).setAlias("avg"))
        .addSelect(select(field("duration_nanos"), AggregateFunction.AGGREGATE_FUNCTION_MAX).setAlias("max"))
        .addFilters(AttributeMatcher.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_FIELD)
            .setKey("service_name").setOperator(MatchOperator.MATCH_OPERATOR_IN).addValues("checkout")
            .addValues("payment"))
        .addGroupBy(resource("k8s.namespace.name"))
        .addOrderBy(OrderBy.newBuilder().setColumn("avg").setOrder(SortOrder.SORT_ORDER_DESCENDING)).build();
    Map<String, List<Long>> byNamespace = new TreeMap<>();
    spans("acme").stream().filter(s -> !s.service().equals("frontend")).forEach(s ->
        byNamespace.computeIfAbsent(s.namespace(), k -> new ArrayList<>()).add(s.durationNanos()));
    List<String> expected = byNamespace.entrySet().stream()
        .sorted((a, b) -> Double.compare(avg(b.getValue()), avg(a.getValue())))
        .map(e -> e.getKey() + "|" + avg(e.getValue()) + "|" + e.getValue().stream().mapToLong(x -> x).max()
            .orElseThrow())
        .toList();
    assertThat(query("acme", query).getRowsList()).extracting(r -> r.getValues(0).getStringValue() + "|"
        + r.getValues(1).getDoubleValue() + "|" + r.getValues(2).getIntValue())
        .containsExactlyElementsOf(expected);
  }

  @Test
  void tenantsNeverSeeEachOthersRows() {
    StructuredQuery query = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_TRACES)
        .addSelect(select(field("service_name"), AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addSelect(SelectExpression.newBuilder().setFunction(AggregateFunction.AGGREGATE_FUNCTION_COUNT))
        .addGroupBy(field("service_name")).build();
    assertThat(query("globex", query).getRowsList()).extracting(r -> r.getValues(0).getStringValue() + "="
        + r.getValues(1).getIntValue()).containsExactly("globex-only=" + spans("globex").size());
    assertThat(query("acme", query).getRowsList()).extracting(r -> r.getValues(0).getStringValue())
        .containsExactlyElementsOf(SERVICES.stream().sorted().toList());
    var noHeader = GrpcClients.newClient(server.uri(), QueryServiceGrpc.QueryServiceBlockingStub.class);
    assertThat(noHeader.query(request(query)).getRowsList()).isEmpty();
  }

  @Test
  void rowLimitTruncatesAndAbsentAttributesAreNull() {
    StructuredQuery query = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_TRACES)
        .addSelect(select(field("duration_nanos"), AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addSelect(select(AttributeRef.newBuilder().setKey("absent").build(),
            AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addOrderBy(OrderBy.newBuilder().setColumn("field.duration_nanos")
            .setOrder(SortOrder.SORT_ORDER_DESCENDING))
        .setLimit(5).build();
    QueryResponse response = query("acme", query);
    assertThat(response.getTruncated()).isTrue();
    assertThat(response.getRowsList()).extracting(r -> r.getValues(0).getIntValue()).containsExactlyElementsOf(
        spans("acme").stream().map(SentSpan::durationNanos).sorted((a, b) -> Long.compare(b, a)).limit(5)
            .toList());
    assertThat(response.getRows(0).getValues(1).getKindCase()).isEqualTo(Value.KindCase.NULL_VALUE);
  }

  @Test
  void badInputIsInvalidArgumentNamingTheField() {
    Consumer<StructuredQuery.Builder> none = b -> { };
    assertStatus(b -> b.clearSignal(), Status.Code.INVALID_ARGUMENT, "query.signal");
    assertStatus(b -> b.addSelect(select(field("Duration"), AggregateFunction.AGGREGATE_FUNCTION_SUM)),
        Status.Code.INVALID_ARGUMENT, "query.select[1].field.key", "duration_nanos");
    assertStatus(b -> b.addSelect(select(field("duration_nanos"), AggregateFunction.AGGREGATE_FUNCTION_SUM)
        .setFunctionValue(77)), Status.Code.INVALID_ARGUMENT, "query.select[1].function");
    assertStatus(b -> b.addSelect(select(field("span_name"), AggregateFunction.AGGREGATE_FUNCTION_AVG)),
        Status.Code.INVALID_ARGUMENT, "query.select[1].function", "text");
    assertStatus(b -> b.addOrderBy(OrderBy.newBuilder().setColumn("nope")), Status.Code.INVALID_ARGUMENT,
        "query.order_by[0].column", "count");
    assertStatus(b -> b.addFilters(AttributeMatcher.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_FIELD)
        .setKey("Timestamp").setValue("x")), Status.Code.INVALID_ARGUMENT, "query.filters[0].key");
    assertStatus(b -> b.setLimit(10_001), Status.Code.RESOURCE_EXHAUSTED, "query.limit", "StreamQuery");
    assertStatus(none, null, "");
  }

  @Test
  void explainShowsExactlyWhatTheCompilerEmitsAndItRuns() {
    StructuredQuery query = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_TRACES)
        .addSelect(select(field("service_name"), AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addSelect(SelectExpression.newBuilder().setFunction(AggregateFunction.AGGREGATE_FUNCTION_COUNT))
        .addFilters(AttributeMatcher.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_RESOURCE)
            .setKey("k8s.namespace.name").setValue("prod"))
        .addGroupBy(field("service_name")).build();
    QueryRequest request = request(query);
    var stub = stub("acme");
    List<ExplainedStatement> explained = stub.explain(ExplainRequest.newBuilder().setQuery(request).build())
        .getStatementsList();
    ReadContext context = ReadContext.of(server.config(), server.backend().store(), Clock.systemUTC());
    QueryGrpcService service = new QueryGrpcService(context, ExplainPlanners.none());
    List<PlannedStatement> planned = service.planQuery(new TenantId("acme"), request);
    assertThat(explained).containsExactlyElementsOf(planned.stream().map(ExplainedStatements::of).toList());
    assertThat(explained.getFirst().getSql()).doesNotContain("prod").doesNotContain("acme");
    assertThat(explained.getFirst().getParametersList()).extracting(p -> p.getName() + ":" + p.getType() + "="
        + p.getValue()).contains("p0:String=acme", "p4:String=prod");
    assertThat(explained.getFirst().getSettingsList()).extracting(s -> s.getName() + "=" + s.getValue())
        .contains("readonly=1", "max_execution_time=30", "max_result_rows=101");
    String engine = server.backend().store().query(planned.getFirst().sql(), "JSONCompactEachRow").text();
    List<String> viaEngine = engine.lines().map(line -> {
      try {
        var array = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
        return array.get(0).asText() + "=" + array.get(1).asLong();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList();
    assertThat(stub.query(request).getRowsList()).extracting(r -> r.getValues(0).getStringValue() + "="
        + r.getValues(1).getIntValue()).isNotEmpty().containsExactlyElementsOf(viaEngine);

    SearchTracesRequest search = SearchTracesRequest.newBuilder().setServiceName("checkout")
        .setTimeRange(range()).build();
    List<ExplainedStatement> traces = stub.explain(ExplainRequest.newBuilder().setSearchTraces(search).build())
        .getStatementsList();
    assertThat(traces).containsExactlyElementsOf(new TracesGrpcService(context)
        .planSearch(new TenantId("acme"), search).stream().map(ExplainedStatements::of).toList());

    SearchLogsRequest logs = SearchLogsRequest.newBuilder().setTimeRange(range()).build();
    assertThat(stub.explain(ExplainRequest.newBuilder().setSearchLogs(logs).build()).getStatementsList())
        .containsExactlyElementsOf(new LogsPlanner(context).plan(new TenantId("acme"), logs).stream()
            .map(ExplainedStatements::of).toList())
        .isNotEmpty();

    GetTraceRequest trace = GetTraceRequest.newBuilder().setTraceId("0af7651916cd43dd8448eb211c80319c").build();
    assertThat(stub.explain(ExplainRequest.newBuilder().setGetTrace(trace).build()).getStatementsList())
        .containsExactlyElementsOf(new TracesGrpcService(context).planner().planGetTrace(new TenantId("acme"),
            trace).stream().map(ExplainedStatements::of).toList())
        .isNotEmpty();
  }

  @Test
  void explainChecksMetricRequestsAndRefusesAnEmptyRequest() {
    var stub = stub("acme");
    assertThatThrownBy(() -> stub.explain(ExplainRequest.newBuilder()
        .setMetricsQueryRange(QueryRangeRequest.getDefaultInstance()).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("metric_name");
        });
    assertThatThrownBy(() -> stub.explain(ExplainRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("request");
        });
  }

  private static void assertStatus(Consumer<StructuredQuery.Builder> change, Status.Code code, String... parts) {
    StructuredQuery.Builder b = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_TRACES)
        .addSelect(SelectExpression.newBuilder().setFunction(AggregateFunction.AGGREGATE_FUNCTION_COUNT));
    change.accept(b);
    if (code == null) {
      assertThat(query("acme", b.build()).getRowsCount()).isEqualTo(1);
      return;
    }
    assertThatThrownBy(() -> query("acme", b.build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      for (String part : parts) {
        assertThat(e.getStatus().getDescription()).contains(part);
      }
      assertThat(e.getStatus().getDescription()).doesNotContain("SELECT");
    });
  }

  static QueryResponse query(String tenant, StructuredQuery query) {
    return stub(tenant).query(request(query));
  }

  static QueryRequest request(StructuredQuery query) {
    return QueryRequest.newBuilder().setQuery(query).setTimeRange(range()).build();
  }

  static TimeRange range() {
    return TimeRange.newBuilder().setAbsolute(AbsoluteTimeRange.newBuilder()
        .setStart(timestamp(RANGE_START)).setEnd(timestamp(RANGE_END))).build();
  }

  static QueryServiceGrpc.QueryServiceBlockingStub stub(String tenant) {
    return GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, tenant)
        .build(QueryServiceGrpc.QueryServiceBlockingStub.class);
  }

  private static List<SentSpan> spans(String tenant) {
    return SENT.stream().filter(s -> s.tenant().equals(tenant)).toList();
  }

  private static double avg(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).average().orElseThrow();
  }

  static SelectExpression.Builder select(AttributeRef ref, AggregateFunction function) {
    return SelectExpression.newBuilder().setField(ref).setFunction(function);
  }

  static AttributeRef field(String name) {
    return AttributeRef.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_FIELD).setKey(name).build();
  }

  static AttributeRef resource(String key) {
    return AttributeRef.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_RESOURCE).setKey(key).build();
  }

  static Timestamp timestamp(long nanos) {
    return Timestamp.newBuilder().setSeconds(Math.floorDiv(nanos, 1_000_000_000L))
        .setNanos((int) Math.floorMod(nanos, 1_000_000_000L)).build();
  }

  static long nanos(Timestamp t) {
    return t.getSeconds() * 1_000_000_000L + t.getNanos();
  }

  static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
