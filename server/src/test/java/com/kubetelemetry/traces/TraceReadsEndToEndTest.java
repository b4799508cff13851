/** GetTrace, ListServices, ListOperations, GetServiceGraph and GetSpanMetrics through the real server and OTLP. */
package com.kubetelemetry.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.Attribute;
import com.kubetelemetry.api.v1.GetServiceGraphRequest;
import com.kubetelemetry.api.v1.GetServiceGraphResponse;
import com.kubetelemetry.api.v1.GetSpanMetricsRequest;
import com.kubetelemetry.api.v1.GetSpanMetricsResponse;
import com.kubetelemetry.api.v1.GetTraceRequest;
import com.kubetelemetry.api.v1.GetTraceResponse;
import com.kubetelemetry.api.v1.ListOperationsRequest;
import com.kubetelemetry.api.v1.ListServicesRequest;
import com.kubetelemetry.api.v1.ServiceGraphEdge;
import com.kubetelemetry.api.v1.ServiceGraphNodeKind;
import com.kubetelemetry.api.v1.SpanMetricsGrouping;
import com.kubetelemetry.api.v1.SpanMetricsPoint;
import com.kubetelemetry.api.v1.SpanMetricsSeries;
import com.kubetelemetry.api.v1.SpanStatus;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.kubetelemetry.traces.ShopTraces.FixtureSpan;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TraceReadsEndToEndTest {
  /** Whole minute 50 minutes ago: the traces span 7 minutes from there, inside the default hour. */
  private static final Instant BASE = Instant.ofEpochSecond(
      (Instant.now().minus(Duration.ofMinutes(50)).getEpochSecond() / 60) * 60);
  private static final List<FixtureSpan> SPANS = new ArrayList<>();

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withQuery(
      new ServerConfig.QuerySection(Duration.ofHours(1), Duration.ofDays(2), Duration.ofSeconds(30), 1_000_000_000L,
          100_000L, 1000, 11000)));

  @BeforeAll
  static void sendSpans() {
    SPANS.addAll(ShopTraces.generate(11L, BASE, "acme", 60));
    SPANS.addAll(ShopTraces.generate(12L, BASE.plusSeconds(2), "globex", 15));
    var otlp = GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    otlp.export(ShopTraces.request(SPANS));
  }

  @Test
  void getTraceReturnsEverySpanWithEventsLinksAttributesAndStatus() {
    FixtureSpan root = SPANS.getFirst();
    List<FixtureSpan> expected = SPANS.stream().filter(s -> s.traceId().equals(root.traceId()))
        .sorted(Comparator.comparingLong(FixtureSpan::startNanos)).toList();
    GetTraceResponse got = stub("acme").getTrace(GetTraceRequest.newBuilder()
        .setTraceId(root.traceId().toUpperCase()).build());
    assertThat(got.getTraceId()).isEqualTo(root.traceId());
    assertThat(got.getTruncated()).isFalse();
    assertThat(got.getSpansList()).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      FixtureSpan want = expected.get(i);
      com.kubetelemetry.api.v1.Span span = got.getSpans(i);
      assertThat(span.getSpanId()).isEqualTo(want.spanId());
      assertThat(span.getParentSpanId()).isEqualTo(want.parentSpanId());
      assertThat(span.getName()).isEqualTo(want.name());
      assertThat(span.getServiceName()).isEqualTo(want.service());
      assertThat(span.getKind().getNumber()).isEqualTo(want.kind().getNumber());
      assertThat(nanos(span.getStartTime())).isEqualTo(want.startNanos());
      assertThat(nanos(span.getDuration())).isEqualTo(want.durationNanos());
      assertThat(span.getStatus()).isEqualTo(want.error() ? SpanStatus.SPAN_STATUS_ERROR : SpanStatus.SPAN_STATUS_UNSET);
      assertThat(span.getStatusMessage()).isEqualTo(want.error() ? "failed" : "");
      assertThat(map(span.getAttributesList())).isEqualTo(want.attributes());
      assertThat(map(span.getResourceAttributesList())).isEqualTo(ShopTraces.resource("acme", want.service()));
      assertThat(span.getScopeName()).isEqualTo(ShopTraces.SCOPE);
      assertThat(span.getScopeVersion()).isEqualTo(ShopTraces.SCOPE_VERSION);
      assertThat(span.getEventsList()).extracting(e -> nanos(e.getTime()) + " " + e.getName() + " "
          + new TreeMap<>(map(e.getAttributesList()))).containsExactlyElementsOf(want.events().stream()
          .map(e -> e.timeNanos() + " " + e.name() + " " + new TreeMap<>(e.attributes())).toList());
      assertThat(span.getLinksList()).extracting(l -> l.getTraceId() + " " + l.getSpanId() + " "
          + l.getTraceState() + " " + map(l.getAttributesList())).containsExactlyElementsOf(want.links().stream()
          .map(l -> l.traceId() + " " + l.spanId() + " " + l.traceState() + " " + l.attributes()).toList());
    }
    assertThat(got.getSpans(0).getEventsCount()).isEqualTo(2);
    assertThat(got.getSpans(0).getLinksCount()).isEqualTo(1);

    GetTraceResponse truncated = stub("acme").getTrace(GetTraceRequest.newBuilder().setTraceId(root.traceId())
        .setSpanLimit(2).build());
    assertThat(truncated.getTruncated()).isTrue();
    assertThat(truncated.getSpansList()).extracting(com.kubetelemetry.api.v1.Span::getSpanId)
        .containsExactly(expected.get(0).spanId(), expected.get(1).spanId());
    GetTraceResponse hinted = stub("acme").getTrace(GetTraceRequest.newBuilder().setTraceId(root.traceId())
        .setTimeHint(absolute(BASE.minusSeconds(60), BASE.plusSeconds(60))).build());
    assertThat(hinted.getSpansCount()).isEqualTo(expected.size());
  }

  @Test
  void getTraceIsNotFoundForAnotherTenantOrAnUnknownIdAndRejectsMalformedIds() {
    String acmeTrace = SPANS.getFirst().traceId();
    assertCode(() -> stub("globex").getTrace(GetTraceRequest.newBuilder().setTraceId(acmeTrace).build()),
        Status.Code.NOT_FOUND, acmeTrace);
    assertCode(() -> stub("acme").getTrace(GetTraceRequest.newBuilder().setTraceId("1".repeat(32)).build()),
        Status.Code.NOT_FOUND, "1".repeat(32));
    assertCode(() -> stub("acme").getTrace(GetTraceRequest.newBuilder().setTraceId(acmeTrace)
        .setTimeHint(absolute(BASE.plusSeconds(600), BASE.plusSeconds(700))).build()),
        Status.Code.NOT_FOUND, "time_hint");
    assertCode(() -> stub("acme").getTrace(GetTraceRequest.newBuilder().setTraceId("xyz").build()),
        Status.Code.INVALID_ARGUMENT, "trace_id");
    assertCode(() -> stub("acme").getTrace(GetTraceRequest.newBuilder().setTraceId(acmeTrace)
        .setSpanLimit(200_000).build()), Status.Code.INVALID_ARGUMENT, "span_limit");
    assertCode(() -> stub("acme").getTrace(GetTraceRequest.newBuilder().setTraceId(acmeTrace)
        .setTimeHint(TimeRange.newBuilder().setRelative("soon")).build()), Status.Code.INVALID_ARGUMENT,
        "time_hint.relative");
  }

  @Test
  void servicesAndOperationsCountOnlyTheCallersSpans() {
    for (String tenant : List.of("acme", "globex")) {
      Map<String, List<FixtureSpan>> byService = SPANS.stream().filter(s -> s.tenant().equals(tenant))
          .collect(Collectors.groupingBy(FixtureSpan::service, TreeMap::new, Collectors.toList()));
      assertThat(stub(tenant).listServices(ListServicesRequest.getDefaultInstance()).getServicesList())
          .extracting(s -> s.getName() + " " + s.getSpanCount() + " " + nanos(s.getLastSeen()))
          .containsExactlyElementsOf(byService.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().size()
              + " " + e.getValue().stream().mapToLong(FixtureSpan::startNanos).max().orElseThrow()).toList());
    }
    assertThat(stub("acme").listServices(ListServicesRequest.newBuilder().setPrefix("w").build())
        .getServicesList()).extracting(s -> s.getName()).containsExactly("worker");
    Map<String, Long> operations = SPANS.stream().filter(s -> s.tenant().equals("acme")
        && s.service().equals("frontend")).collect(Collectors.groupingBy(s -> s.name() + " " + s.kind().getNumber(),
        TreeMap::new, Collectors.counting()));
    assertThat(stub("acme").listOperations(ListOperationsRequest.newBuilder().setServiceName("frontend").build())
        .getOperationsList()).extracting(o -> o.getSpanName() + " " + o.getKind().getNumber() + "=" + o.getSpanCount())
        .containsExactlyElementsOf(operations.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    assertThat(stub("acme").listOperations(ListOperationsRequest.newBuilder().setServiceName("frontend")
        .setKind(com.kubetelemetry.api.v1.SpanKind.SPAN_KIND_INTERNAL).build()).getOperationsList())
        .extracting(o -> o.getSpanName()).containsExactly("render");
    assertCode(() -> stub("acme").listOperations(ListOperationsRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT, "service_name");
  }

  @Test
  void serviceGraphEdgesMatchTheEdgesComputedFromTheSpansPerTenant() {
    for (String tenant : List.of("acme", "globex")) {
      List<ShopExpectations.Edge> expected = ShopExpectations.edges(SPANS.stream()
          .filter(s -> s.tenant().equals(tenant)).toList());
      GetServiceGraphResponse got = stub(tenant).getServiceGraph(GetServiceGraphRequest.getDefaultInstance());
      assertThat(got.getEdgesList()).extracting(TraceReadsEndToEndTest::edgeText)
          .containsExactlyElementsOf(expected.stream().map(e -> e.caller() + ">" + e.callee() + " calls="
              + e.calls() + " errors=" + e.errors() + " p50=" + e.p50() + " p95=" + e.p95()).toList());
      assertThat(got.getNodesList()).extracting(n -> n.getName() + " " + n.getKind()).containsExactly(
          "frontend " + ServiceGraphNodeKind.SERVICE_GRAPH_NODE_KIND_SERVICE,
          "payment " + ServiceGraphNodeKind.SERVICE_GRAPH_NODE_KIND_SERVICE,
          "pg.shop " + ServiceGraphNodeKind.SERVICE_GRAPH_NODE_KIND_DATABASE,
          "worker " + ServiceGraphNodeKind.SERVICE_GRAPH_NODE_KIND_SERVICE);
    }
    assertThat(stub("acme").getServiceGraph(GetServiceGraphRequest.newBuilder().addServiceNames("frontend")
        .build()).getEdgesList()).extracting(e -> e.getCaller() + ">" + e.getCallee())
        .containsExactly("frontend>payment", "frontend>worker");
    assertCode(() -> stub("acme").getServiceGraph(GetServiceGraphRequest.newBuilder().addServiceNames("").build()),
        Status.Code.INVALID_ARGUMENT, "service_names[0]");
  }

  @Test
  void spanMetricsMatchTheFiguresComputedFromTheSpans() {
    Instant start = BASE.minusSeconds(60);
    Instant end = BASE.plus(Duration.ofMinutes(10));
    List<Double> quantiles = List.of(0.5, 0.95, 1.0);
    GetSpanMetricsResponse got = stub("acme").getSpanMetrics(GetSpanMetricsRequest.newBuilder()
        .setTimeRange(absolute(start, end).toBuilder().setStep(com.google.protobuf.Duration.newBuilder()
            .setSeconds(60)))
        .addAllQuantiles(quantiles).build());
    assertThat(nanos(got.getStep())).isEqualTo(60_000_000_000L);
    assertThat(got.getTruncated()).isFalse();
    long startNanos = start.getEpochSecond() * 1_000_000_000L;
    Map<String, ShopExpectations.Figures> expected = ShopExpectations.figures(
        ShopExpectations.in(SPANS, "acme", startNanos, end.getEpochSecond() * 1_000_000_000L),
        s -> s.kind() == Span.SpanKind.SPAN_KIND_SERVER || s.kind() == Span.SpanKind.SPAN_KIND_CONSUMER, false,
        start.getEpochSecond(), 60, quantiles);
    assertThat(got.getSeriesList()).extracting(s -> s.getServiceName() + "/" + s.getSpanName() + "/"
        + Span.SpanKind.forNumber(s.getKind().getNumber())).containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(got.getSeriesList()).extracting(s -> s.getTotal().getRequestCount())
        .isSortedAccordingTo(Comparator.reverseOrder());
    for (SpanMetricsSeries series : got.getSeriesList()) {
      ShopExpectations.Figures want = expected.get(series.getServiceName() + "/" + series.getSpanName() + "/"
          + Span.SpanKind.forNumber(series.getKind().getNumber()));
      SpanMetricsPoint total = series.getTotal();
      assertThat(total.getRequestCount()).isEqualTo(want.requests());
      assertThat(total.getErrorCount()).isEqualTo(want.errors());
      assertThat(total.getRequestRate()).isCloseTo(want.requests() / 660.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(total.getLatenciesList()).extracting(l -> l.getQuantile() + "=" + nanos(l.getLatency()))
          .containsExactly(quantiles.get(0) + "=" + want.latencies().get(0),
              quantiles.get(1) + "=" + want.latencies().get(1), quantiles.get(2) + "=" + want.latencies().get(2));
      assertThat(series.getPointsList()).hasSize(11);
      for (int i = 0; i < 11; i++) {
        SpanMetricsPoint point = series.getPoints(i);
        assertThat(nanos(point.getTimestamp())).isEqualTo(startNanos + i * 60_000_000_000L);
        long[] bucket = want.buckets().getOrDefault((long) i, new long[2]);
        assertThat(point.getRequestCount()).as("step %d", i).isEqualTo(bucket[0]);
        assertThat(point.getErrorCount()).isEqualTo(bucket[1]);
        assertThat(point.getGap()).isEqualTo(bucket[0] == 0);
        assertThat(point.getRequestRate()).isEqualTo(bucket[0] / 60.0);
        assertThat(point.getErrorRate()).isEqualTo(bucket[0] == 0 ? 0 : (double) bucket[1] / bucket[0]);
        assertThat(point.getLatenciesCount()).isEqualTo(bucket[0] == 0 ? 0 : 3);
      }
    }
    GetSpanMetricsResponse perService = stub("acme").getSpanMetrics(GetSpanMetricsRequest.newBuilder()
        .setGroupBy(SpanMetricsGrouping.SPAN_METRICS_GROUPING_SERVICE).setMaxSeries(1).build());
    assertThat(perService.getTruncated()).isTrue();
    assertThat(perService.getSeriesList()).extracting(SpanMetricsSeries::getServiceName).containsExactly("frontend");
    assertThat(perService.getSeries(0).getTotal().getRequestCount()).isEqualTo(60);
    assertCode(() -> stub("acme").getSpanMetrics(GetSpanMetricsRequest.newBuilder().addQuantiles(2).build()),
        Status.Code.INVALID_ARGUMENT, "quantiles[0]");
    com.kubetelemetry.read.ReadContext context = com.kubetelemetry.read.ReadContext.of(server.config(),
        server.backend().store(), java.time.Clock.systemUTC());
    TraceReads small = new TraceReads(context, new TraceReadPlanner(context), 100);
    assertThatThrownBy(() -> small.spanMetrics(new com.kubetelemetry.query.TenantId("acme"),
        GetSpanMetricsRequest.getDefaultInstance(), java.util.function.UnaryOperator.identity()))
        .isInstanceOfSatisfying(com.kubetelemetry.query.QueryException.class, e -> {
          assertThat(e.kind()).isEqualTo(com.kubetelemetry.query.QueryException.Kind.RESOURCE_EXHAUSTED);
          assertThat(e.getMessage()).contains("`time_range.step`").contains("max_series");
        });
    assertThat(stub("globex").getSpanMetrics(GetSpanMetricsRequest.newBuilder()
        .setGroupBy(SpanMetricsGrouping.SPAN_METRICS_GROUPING_SERVICE).build()).getSeriesList())
        .extracting(s -> s.getServiceName() + "=" + s.getTotal().getRequestCount())
        .containsExactlyInAnyOrderElementsOf(SPANS.stream().filter(s -> s.tenant().equals("globex")
            && (s.kind() == Span.SpanKind.SPAN_KIND_SERVER || s.kind() == Span.SpanKind.SPAN_KIND_CONSUMER))
            .collect(Collectors.groupingBy(FixtureSpan::service, TreeMap::new, Collectors.counting()))
            .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
  }

  @Test
  void plannedStatementsAreWhatTheCallsRunAndReadsWithoutATenantActForTheDefaultTenant() {
    TraceReadPlanner planner = new TraceReadPlanner(com.kubetelemetry.read.ReadContext.of(server.config(),
        server.backend().store(), java.time.Clock.systemUTC()));
    com.kubetelemetry.query.TenantId acme = new com.kubetelemetry.query.TenantId("acme");
    GetTraceRequest trace = GetTraceRequest.newBuilder().setTraceId(SPANS.getFirst().traceId()).build();
    var planned = planner.planGetTrace(acme, trace);
    assertThat(planned).hasSize(1);
    assertThat(planned.getFirst().sql().text()).contains("otel_traces_trace_id_ts");
    assertThat(com.kubetelemetry.read.EngineRows.run(server.backend().store(), planned.getFirst().sql()).rows())
        .extracting(r -> r.string(1)).containsExactlyElementsOf(stub("acme").getTrace(trace).getSpansList()
            .stream().map(com.kubetelemetry.api.v1.Span::getSpanId).toList());
    GetSpanMetricsRequest metrics = GetSpanMetricsRequest.newBuilder()
        .setTimeRange(absolute(BASE.minusSeconds(60), BASE.plusSeconds(600))).build();
    assertThat(com.kubetelemetry.read.EngineRows.run(server.backend().store(),
        planner.planSpanMetrics(acme, metrics).getFirst().sql()).rows()).extracting(r -> r.string(0) + "/"
        + r.string(1) + "=" + r.int64(3)).containsExactlyElementsOf(stub("acme").getSpanMetrics(metrics)
        .getSeriesList().stream().map(x -> x.getServiceName() + "/" + x.getSpanName() + "="
            + x.getTotal().getRequestCount()).toList());
    assertThat(planner.planServiceGraph(acme, GetServiceGraphRequest.getDefaultInstance())).hasSize(1);
    assertThat(planner.planListServices(acme, ListServicesRequest.getDefaultInstance())).hasSize(1);
    assertThat(planner.planListOperations(acme, ListOperationsRequest.newBuilder().setServiceName("x").build()))
        .hasSize(1);
    var noTenant = GrpcClients.newClient(server.uri(), TracesServiceGrpc.TracesServiceBlockingStub.class);
    assertThat(noTenant.listServices(ListServicesRequest.getDefaultInstance()).getServicesList()).isEmpty();
    assertCode(() -> noTenant.getTrace(trace), Status.Code.NOT_FOUND, trace.getTraceId());
  }

  private static String edgeText(ServiceGraphEdge e) {
    return e.getCaller() + ">" + e.getCallee() + " calls=" + e.getCallCount() + " errors=" + e.getErrorCount()
        + " p50=" + nanos(e.getP50Latency()) + " p95=" + nanos(e.getP95Latency());
  }

  private static TracesServiceGrpc.TracesServiceBlockingStub stub(String tenant) {
    return GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, tenant)
        .build(TracesServiceGrpc.TracesServiceBlockingStub.class);
  }

  private static TimeRange absolute(Instant start, Instant end) {
    return TimeRange.newBuilder().setAbsolute(AbsoluteTimeRange.newBuilder()
        .setStart(Timestamp.newBuilder().setSeconds(start.getEpochSecond()))
        .setEnd(Timestamp.newBuilder().setSeconds(end.getEpochSecond()))).build();
  }

  private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code,
      String inMessage) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(inMessage).doesNotContain("SELECT");
    });
  }

  private static Map<String, String> map(List<Attribute> attributes) {
    Map<String, String> out = new TreeMap<>();
    attributes.forEach(a -> out.put(a.getKey(), a.getValue().getStringValue()));
    return out;
  }

  private static long nanos(Timestamp t) {
    return t.getSeconds() * 1_000_000_000L + t.getNanos();
  }

  private static long nanos(com.google.protobuf.Duration d) {
    return d.getSeconds() * 1_000_000_000L + d.getNanos();
  }

}
