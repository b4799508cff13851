/** Structured queries over logs and metric points through the real server, checked against values from Java. */
package com.kubetelemetry.structured;

import static com.kubetelemetry.structured.QueryServiceEndToEndTest.field;
import static com.kubetelemetry.structured.QueryServiceEndToEndTest.nanos;
import static com.kubetelemetry.structured.QueryServiceEndToEndTest.select;
import static com.kubetelemetry.structured.QueryServiceEndToEndTest.text;
import static com.kubetelemetry.structured.QueryServiceEndToEndTest.timestamp;
import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.AggregateFunction;
import com.kubetelemetry.api.v1.AttributeMatcher;
import com.kubetelemetry.api.v1.AttributeRef;
import com.kubetelemetry.api.v1.AttributeTarget;
import com.kubetelemetry.api.v1.MatchOperator;
import com.kubetelemetry.api.v1.QueryRequest;
import com.kubetelemetry.api.v1.QueryServiceGrpc;
import com.kubetelemetry.api.v1.Row;
import com.kubetelemetry.api.v1.SelectExpression;
import com.kubetelemetry.api.v1.Signal;
import com.kubetelemetry.api.v1.StructuredQuery;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LogsAndMetricsQueryEndToEndTest {
  private static final long MINUTE = 60_000_000_000L;
  private static final long START = Math.floorDiv(System.currentTimeMillis() * 1_000_000L - 50 * MINUTE,
      5 * MINUTE) * 5 * MINUTE;
  private static final List<String> SEVERITIES = List.of("INFO", "WARN", "ERROR");

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());

  /** One log record or metric point as sent. */
  record Sent(String tenant, long time, String key, String host, double value, String body) {}

  private static final List<Sent> LOGS = new ArrayList<>();
  private static final List<Sent> POINTS = new ArrayList<>();

  @BeforeAll
  static void send() {
    Random random = new Random(11);
    var logs = GrpcClients.newClient(server.uri(), LogsServiceGrpc.LogsServiceBlockingStub.class);
    var metrics = GrpcClients.newClient(server.uri(), MetricsServiceGrpc.MetricsServiceBlockingStub.class);
    for (String tenant : List.of("acme", "globex")) {
      ScopeLogs.Builder scopeLogs = ScopeLogs.newBuilder();
      for (int i = 0; i < 400; i++) {
        int severity = random.nextInt(3);
        long time = START + (long) (random.nextDouble() * 45 * MINUTE);
        String body = (random.nextBoolean() ? "Payment " : "cart ") + "event " + i;
        LOGS.add(new Sent(tenant, time, SEVERITIES.get(severity), "", 0, body));
        scopeLogs.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(time).setSeverityText(SEVERITIES.get(severity))
            .setSeverityNumber(SeverityNumber.forNumber(9 + 4 * severity))
            .setBody(AnyValue.newBuilder().setStringValue(body)));
      }
      logs.export(ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(text("service.name", "shop"))
              .addAttributes(text("tenant.id", tenant)))
          .addScopeLogs(scopeLogs)).build());

      Gauge.Builder gauge = Gauge.newBuilder();
      Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
      for (int i = 0; i < 120; i++) {
        String host = "host-" + random.nextInt(3);
        long time = START + i * 20_000_000_000L;
        double cpu = Math.round(random.nextDouble() * 1000) / 100.0;
        long requests = random.nextInt(50);
        POINTS.add(new Sent(tenant, time, "cpu", host, cpu, ""));
        POINTS.add(new Sent(tenant, time, "requests", host, requests, ""));
        gauge.addDataPoints(point(time, host).setAsDouble(cpu));
        sum.addDataPoints(point(time, host).setAsInt(requests));
      }
      metrics.export(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(text("service.name", "shop"))
              .addAttributes(text("tenant.id", tenant)))
          .addScopeMetrics(ScopeMetrics.newBuilder()
              .addMetrics(Metric.newBuilder().setName("cpu").setGauge(gauge))
              .addMetrics(Metric.newBuilder().setName("requests").setSum(sum)))).build());
    }
  }

  @Test
  void logCountsPerSeverityAndFiveMinuteBucketWithABodyFilter() {
    StructuredQuery query = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_LOGS)
        .addSelect(select(field("severity_text"), AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addSelect(SelectExpression.newBuilder().setFunction(AggregateFunction.AGGREGATE_FUNCTION_COUNT))
        .addSelect(select(field("severity_number"), AggregateFunction.AGGREGATE_FUNCTION_MAX))
        .addFilters(AttributeMatcher.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_FIELD).setKey("body")
            .setOperator(MatchOperator.MATCH_OPERATOR_CONTAINS).setValue("payment"))
        .addGroupBy(field("severity_text"))
        .setTimeBucket(com.google.protobuf.Duration.newBuilder().setSeconds(300)).setLimit(1000).build();
    TreeMap<String, Integer> expected = new TreeMap<>();
    LOGS.stream().filter(l -> l.tenant().equals("acme") && l.body().toLowerCase().contains("payment"))
        .forEach(l -> expected.merge(String.format("%020d|%s", Math.floorDiv(l.time(), 5 * MINUTE) * 5 * MINUTE,
            l.key()), 1, Integer::sum));
    List<Row> rows = query("acme", query);
    assertThat(rows).extracting(r -> String.format("%020d|%s", nanos(r.getValues(0).getTimestampValue()),
        r.getValues(1).getStringValue()) + "=" + r.getValues(2).getIntValue())
        .containsExactlyElementsOf(expected.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    assertThat(rows).allMatch(r -> r.getValues(3).getIntValue()
        == 9 + 4L * SEVERITIES.indexOf(r.getValues(1).getStringValue()));
  }

  @Test
  void metricPointsOfGaugesAndSumsAggregatePerMetricAndHost() {
    StructuredQuery query = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_METRICS)
        .addSelect(select(field("metric_name"), AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addSelect(select(item("host"), AggregateFunction.AGGREGATE_FUNCTION_UNSPECIFIED))
        .addSelect(select(field("value"), AggregateFunction.AGGREGATE_FUNCTION_SUM))
        .addSelect(select(field("value"), AggregateFunction.AGGREGATE_FUNCTION_MAX))
        .addSelect(SelectExpression.newBuilder().setFunction(AggregateFunction.AGGREGATE_FUNCTION_COUNT))
        .addGroupBy(field("metric_name")).addGroupBy(item("host")).build();
    Map<String, List<Double>> expected = new TreeMap<>();
    POINTS.stream().filter(p -> p.tenant().equals("acme")).forEach(p ->
        expected.computeIfAbsent(p.key() + "|" + p.host(), k -> new ArrayList<>()).add(p.value()));
    List<Row> rows = query("acme", query);
    assertThat(rows).extracting(r -> r.getValues(0).getStringValue() + "|" + r.getValues(1).getStringValue())
        .containsExactlyElementsOf(expected.keySet());
    for (Row r : rows) {
      List<Double> values = expected.get(r.getValues(0).getStringValue() + "|" + r.getValues(1).getStringValue());
      assertThat(r.getValues(2).getDoubleValue()).isCloseTo(values.stream().mapToDouble(d -> d).sum(),
          org.assertj.core.api.Assertions.within(1e-6));
      assertThat(r.getValues(3).getDoubleValue()).isEqualTo(values.stream().mapToDouble(d -> d).max()
          .orElseThrow());
      assertThat(r.getValues(4).getIntValue()).isEqualTo(values.size());
    }
    long globexPoints = POINTS.stream().filter(p -> p.tenant().equals("globex")).count();
    StructuredQuery count = StructuredQuery.newBuilder().setSignal(Signal.SIGNAL_METRICS)
        .addSelect(SelectExpression.newBuilder().setFunction(AggregateFunction.AGGREGATE_FUNCTION_COUNT)).build();
    assertThat(query("globex", count).getFirst().getValues(0).getIntValue()).isEqualTo(globexPoints);
  }

  private static NumberDataPoint.Builder point(long time, String host) {
    return NumberDataPoint.newBuilder().setTimeUnixNano(time).setStartTimeUnixNano(START - MINUTE)
        .addAttributes(text("host", host));
  }

  private static AttributeRef item(String key) {
    return AttributeRef.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_ITEM).setKey(key).build();
  }

  private static List<Row> query(String tenant, StructuredQuery query) {
    var stub = GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, tenant)
        .build(QueryServiceGrpc.QueryServiceBlockingStub.class);
    TimeRange range = TimeRange.newBuilder().setAbsolute(AbsoluteTimeRange.newBuilder()
        .setStart(timestamp(START)).setEnd(timestamp(START + 55 * MINUTE))).build();
    return stub.query(QueryRequest.newBuilder().setQuery(query).setTimeRange(range).build()).getRowsList();
  }
}
