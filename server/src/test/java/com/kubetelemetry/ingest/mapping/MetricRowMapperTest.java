/** Metric mapping against the five real otel_metrics_* tables: every column of every point kind, and validation. */
package com.kubetelemetry.ingest.mapping;

import static com.kubetelemetry.ingest.mapping.Otlp.id;
import static com.kubetelemetry.ingest.mapping.Otlp.integer;
import static com.kubetelemetry.ingest.mapping.Otlp.kv;
import static com.kubetelemetry.ingest.mapping.Otlp.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricRowMapperTest {
  private static final long START = 1_700_000_000_000_000_000L;
  private static final long TIME = START + 60_000_000_000L;
  private static final WriteScope TENANT_A = new WriteScope("tenant-a", false);
  private static final String COMMON = "TenantId, ResourceAttributes, ResourceSchemaUrl, ScopeName, ScopeVersion,"
      + " ScopeAttributes, ScopeDroppedAttrCount, ScopeSchemaUrl, ServiceName, MetricName, MetricDescription,"
      + " MetricUnit, Attributes, toUnixTimestamp64Nano(StartTimeUnix) AS start, toUnixTimestamp64Nano(TimeUnix) AS time";
  private static final String EXEMPLARS = "Exemplars.FilteredAttributes AS exAttrs,"
      + " arrayMap(t -> toUnixTimestamp64Nano(t), Exemplars.TimeUnix) AS exTime, Exemplars.Value AS exValue,"
      + " Exemplars.SpanId AS exSpan, Exemplars.TraceId AS exTrace";
  private static final List<String> TABLES = List.of("otel_metrics_gauge", "otel_metrics_sum",
      "otel_metrics_histogram", "otel_metrics_exp_histogram", "otel_metrics_summary");

  private OtelTables tables;
  private final MetricRowMapper mapper = new MetricRowMapper(MappingLimits.unlimited());

  @BeforeAll
  void open(@TempDir Path dir) {
    tables = new OtelTables(dir);
  }

  @AfterAll
  void close() {
    tables.close();
  }

  @BeforeEach
  void empty() {
    TABLES.forEach(tables::truncate);
  }

  private static Exemplar exemplar() {
    return Exemplar.newBuilder().setTimeUnixNano(TIME - 5).setAsInt(42).addFilteredAttributes(kv("user", "u1"))
        .setTraceId(id("0102030405060708090a0b0c0d0e0f10")).setSpanId(id("a1a2a3a4a5a6a7a8")).build();
  }

  private static NumberDataPoint.Builder number(double value) {
    return NumberDataPoint.newBuilder().setStartTimeUnixNano(START).setTimeUnixNano(TIME).setAsDouble(value)
        .addAttributes(kv("route", "/a"));
  }

  private static ExportMetricsServiceRequest request(Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setSchemaUrl("https://res/schema")
        .setResource(resource(kv("service.name", "api"), kv("pod", "p-1")))
        .addScopeMetrics(ScopeMetrics.newBuilder().setSchemaUrl("https://scope/schema")
            .setScope(InstrumentationScope.newBuilder().setName("meter").setVersion("2.0")
                .addAttributes(kv("lib", "otel")).setDroppedAttributesCount(3))
            .addAllMetrics(List.of(metrics))))
        .build();
  }

  private static Metric.Builder metric(String name) {
    return Metric.newBuilder().setName(name).setDescription(name + " description").setUnit("ms");
  }

  private JsonNode onlyRow(String table, String columns) {
    List<JsonNode> rows = tables.rows("SELECT " + COMMON + ", " + columns + " FROM otel." + table);
    assertThat(rows).hasSize(1);
    JsonNode row = rows.getFirst();
    assertThat(row.get("TenantId").asText()).isEqualTo("tenant-a");
    assertThat(OtelTables.map(row.get("ResourceAttributes")))
        .containsExactly(entry("service.name", "api"), entry("pod", "p-1"));
    assertThat(row.get("ResourceSchemaUrl").asText()).isEqualTo("https://res/schema");
    assertThat(row.get("ScopeName").asText()).isEqualTo("meter");
    assertThat(row.get("ScopeVersion").asText()).isEqualTo("2.0");
    assertThat(OtelTables.map(row.get("ScopeAttributes"))).containsExactly(entry("lib", "otel"));
    assertThat(row.get("ScopeDroppedAttrCount").asInt()).isEqualTo(3);
    assertThat(row.get("ScopeSchemaUrl").asText()).isEqualTo("https://scope/schema");
    assertThat(row.get("ServiceName").asText()).isEqualTo("api");
    assertThat(row.get("MetricDescription").asText()).isEqualTo(row.get("MetricName").asText() + " description");
    assertThat(row.get("MetricUnit").asText()).isEqualTo("ms");
    assertThat(OtelTables.map(row.get("Attributes"))).containsExactly(entry("route", "/a"));
    assertThat(row.get("start").asText()).isEqualTo(Long.toString(START));
    assertThat(row.get("time").asText()).isEqualTo(Long.toString(TIME));
    return row;
  }

  private static void assertExemplar(JsonNode row) {
    assertThat(OtelTables.map(row.get("exAttrs").get(0))).containsExactly(entry("user", "u1"));
    assertThat(OtelTables.strings(row.get("exTime"))).containsExactly(Long.toString(TIME - 5));
    assertThat(row.get("exValue").get(0).asDouble()).isEqualTo(42.0);
    assertThat(OtelTables.strings(row.get("exSpan"))).containsExactly("a1a2a3a4a5a6a7a8");
    assertThat(OtelTables.strings(row.get("exTrace"))).containsExactly("0102030405060708090a0b0c0d0e0f10");
  }

  @Test
  void gaugeAndSumPoints() {
    Metric gauge = metric("queue.depth").setGauge(Gauge.newBuilder()
        .addDataPoints(number(0).clearAsDouble().setAsInt(17).setFlags(1).addExemplars(exemplar()))).build();
    Metric sum = metric("requests").setSum(Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(number(12.5).addExemplars(exemplar()))).build();

    MappedExport export = mapper.map(TENANT_A, request(gauge, sum));

    assertThat(export.acceptedItems()).isEqualTo(2);
    assertThat(export.blocksByTable()).containsOnlyKeys("otel_metrics_gauge", "otel_metrics_sum");
    tables.insert(export);
    JsonNode g = onlyRow("otel_metrics_gauge", "Value, Flags, " + EXEMPLARS);
    assertThat(g.get("MetricName").asText()).isEqualTo("queue.depth");
    assertThat(g.get("Value").asDouble()).isEqualTo(17.0);
    assertThat(g.get("Flags").asInt()).isEqualTo(1);
    assertExemplar(g);
    JsonNode s = onlyRow("otel_metrics_sum", "Value, Flags, AggregationTemporality, IsMonotonic, " + EXEMPLARS);
    assertThat(s.get("Value").asDouble()).isEqualTo(12.5);
    assertThat(s.get("Flags").asInt()).isZero();
    assertThat(s.get("AggregationTemporality").asInt()).isEqualTo(2);
    assertThat(s.get("IsMonotonic").asBoolean()).isTrue();
    assertExemplar(s);
  }

  @Test
  void histogramPoints() {
    Metric histogram = metric("latency").setHistogram(Histogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(START).setTimeUnixNano(TIME)
            .addAttributes(kv("route", "/a")).setCount(6).setSum(123.5).addAllBucketCounts(List.of(1L, 2L, 3L))
            .addAllExplicitBounds(List.of(10.0, 100.0)).setMin(0.5).setMax(99.0).setFlags(1)
            .addExemplars(exemplar())))
        .build();
    tables.insert(mapper.map(TENANT_A, request(histogram)));
    JsonNode row = onlyRow("otel_metrics_histogram", "Count, Sum, BucketCounts, ExplicitBounds, Flags, Min, Max,"
        + " AggregationTemporality, " + EXEMPLARS);
    assertThat(row.get("Count").asText()).isEqualTo("6");
    assertThat(row.get("Sum").asDouble()).isEqualTo(123.5);
    assertThat(OtelTables.strings(row.get("BucketCounts"))).containsExactly("1", "2", "3");
    assertThat(row.get("ExplicitBounds").get(1).asDouble()).isEqualTo(100.0);
    assertThat(row.get("Flags").asInt()).isEqualTo(1);
    assertThat(row.get("Min").asDouble()).isEqualTo(0.5);
    assertThat(row.get("Max").asDouble()).isEqualTo(99.0);
    assertThat(row.get("AggregationTemporality").asInt()).isEqualTo(1);
    assertExemplar(row);
  }

  @Test
  void exponentialHistogramPoints() {
    Metric histogram = metric("size").setExponentialHistogram(ExponentialHistogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(START).setTimeUnixNano(TIME)
            .addAttributes(kv("route", "/a")).setCount(9).setSum(40.25).setScale(-2).setZeroCount(1)
            .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(3)
                .addAllBucketCounts(List.of(4L, 2L)))
            .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-1).addBucketCounts(2L))
            .addExemplars(exemplar())))
        .build();
    tables.insert(mapper.map(TENANT_A, request(histogram)));
    JsonNode row = onlyRow("otel_metrics_exp_histogram", "Count, Sum, Scale, ZeroCount, PositiveOffset,"
        + " PositiveBucketCounts, NegativeOffset, NegativeBucketCounts, Flags, Min, Max, AggregationTemporality, "
        + EXEMPLARS);
    assertThat(row.get("Count").asText()).isEqualTo("9");
    assertThat(row.get("Sum").asDouble()).isEqualTo(40.25);
    assertThat(row.get("Scale").asInt()).isEqualTo(-2);
    assertThat(row.get("ZeroCount").asText()).isEqualTo("1");
    assertThat(row.get("PositiveOffset").asInt()).isEqualTo(3);
    assertThat(OtelTables.strings(row.get("PositiveBucketCounts"))).containsExactly("4", "2");
    assertThat(row.get("NegativeOffset").asInt()).isEqualTo(-1);
    assertThat(OtelTables.strings(row.get("NegativeBucketCounts"))).containsExactly("2");
    assertThat(row.get("Flags").asInt()).isZero();
    assertThat(row.get("Min").asDouble()).as("absent min").isZero();
    assertThat(row.get("Max").asDouble()).as("absent max").isZero();
    assertThat(row.get("AggregationTemporality").asInt()).isEqualTo(2);
    assertExemplar(row);
  }

  @Test
  void summaryPoints() {
    Metric summary = metric("gc.pause").setSummary(Summary.newBuilder()
        .addDataPoints(SummaryDataPoint.newBuilder().setStartTimeUnixNano(START).setTimeUnixNano(TIME)
            .addAttributes(kv("route", "/a")).setCount(4).setSum(8.5).setFlags(1)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(1.5))
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(4.0))))
        .build();
    tables.insert(mapper.map(TENANT_A, request(summary)));
    JsonNode row = onlyRow("otel_metrics_summary", "Count, Sum, ValueAtQuantiles.Quantile AS q,"
        + " ValueAtQuantiles.Value AS v, Flags");
    assertThat(row.get("Count").asText()).isEqualTo("4");
    assertThat(row.get("Sum").asDouble()).isEqualTo(8.5);
    assertThat(row.get("q").get(0).asDouble()).isEqualTo(0.5);
    assertThat(row.get("q").get(1).asDouble()).isEqualTo(0.99);
    assertThat(row.get("v").get(0).asDouble()).isEqualTo(1.5);
    assertThat(row.get("v").get(1).asDouble()).isEqualTo(4.0);
    assertThat(row.get("Flags").asInt()).isEqualTo(1);
  }

  @Test
  void absentExemplarIdsAndValuesFollowTheExporter() {
    Metric gauge = metric("g").setGauge(Gauge.newBuilder().addDataPoints(number(1).addExemplars(
        Exemplar.newBuilder().setTimeUnixNano(TIME)))).build();
    tables.insert(mapper.map(TENANT_A, request(gauge)));
    JsonNode row = onlyRow("otel_metrics_gauge", EXEMPLARS);
    assertThat(row.get("exValue").get(0).asDouble()).isZero();
    assertThat(OtelTables.strings(row.get("exSpan"))).containsExactly("0000000000000000");
    assertThat(OtelTables.strings(row.get("exTrace"))).containsExactly("00000000000000000000000000000000");
    assertThat(row.get("exAttrs").get(0).size()).isZero();
  }

  @Test
  void rejectsInvalidPointsAndKeepsTheRest() {
    Metric unnamed = Metric.newBuilder().setGauge(Gauge.newBuilder().addDataPoints(number(1)).addDataPoints(number(2)))
        .build();
    Metric timeless = metric("timeless").setSum(Sum.newBuilder().addDataPoints(number(1))
        .addDataPoints(number(2).setTimeUnixNano(0))).build();
    Metric buckets = metric("buckets").setHistogram(Histogram.newBuilder()
        .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(TIME).addAllBucketCounts(List.of(1L, 2L))
            .addAllExplicitBounds(List.of(1.0, 2.0)))
        .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(TIME).setCount(3))
        .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(TIME).addAllBucketCounts(List.of(1L, 2L))
            .addExplicitBounds(5.0)))
        .build();
    Metric summaryWithoutTime = metric("sum-no-time").setSummary(Summary.newBuilder()
        .addDataPoints(SummaryDataPoint.newBuilder())).build();
    Metric expWithoutTime = metric("exp-no-time").setExponentialHistogram(ExponentialHistogram.newBuilder()
        .addDataPoints(ExponentialHistogramDataPoint.newBuilder())).build();
    Metric noData = metric("no-data").build();

    MappedExport export = mapper.map(TENANT_A,
        request(unnamed, timeless, buckets, summaryWithoutTime, expWithoutTime, noData));

    assertThat(export.acceptedItems()).isEqualTo(3);
    assertThat(export.rejectedItems()).isEqualTo(6);
    assertThat(export.rejectionMessage()).isEqualTo("6 data points rejected: a metric has no name (metric.name is"
        + " empty); metric 'timeless' has a data point without a time (time_unix_nano is 0); histogram 'buckets'"
        + " has 2 bucket counts for 2 explicit bounds (must be bounds + 1); and 2 more problems");
    assertThat(export.blocksByTable()).containsOnlyKeys("otel_metrics_sum", "otel_metrics_histogram");
    tables.insert(export);
    assertThat(tables.rows("SELECT Count FROM otel.otel_metrics_histogram ORDER BY Count"))
        .extracting(r -> r.get("Count").asText()).containsExactly("0", "3");
    assertThat(tables.rows("SELECT Value FROM otel.otel_metrics_sum")).hasSize(1);
  }

  @Test
  void tenantAttributeIsHonouredOnlyWhenTheScopeAllowsIt() {
    ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(kv("tenant.id", "tenant-b")))
            .addScopeMetrics(ScopeMetrics.newBuilder()
                .addMetrics(metric("m").setGauge(Gauge.newBuilder().addDataPoints(number(1))))))
        .build();
    tables.insert(mapper.map(new WriteScope("collector", true), request));
    tables.insert(mapper.map(new WriteScope("tenant-a", false), request));
    assertThat(tables.rows("SELECT TenantId FROM otel.otel_metrics_gauge"))
        .extracting(r -> r.get("TenantId").asText()).containsExactlyInAnyOrder("tenant-b", "tenant-a");
  }

  @Test
  void truncatesPointAndExemplarAttributes() {
    MetricRowMapper limited = new MetricRowMapper(new MappingLimits(2));
    Metric gauge = metric("g").setGauge(Gauge.newBuilder().addDataPoints(number(1).addAttributes(kv("n", integer(12345)))
        .addExemplars(Exemplar.newBuilder().setTimeUnixNano(TIME).addFilteredAttributes(kv("user", "u-12")))))
        .build();
    MappedExport export = limited.map(TENANT_A, request(gauge));
    tables.insert(export);
    JsonNode row = tables.rows("SELECT Attributes, Exemplars.FilteredAttributes AS ex, ServiceName"
        + " FROM otel.otel_metrics_gauge").getFirst();
    assertThat(OtelTables.map(row.get("Attributes"))).containsExactly(entry("route", "/a"), entry("n", "12345"));
    assertThat(OtelTables.map(row.get("ex").get(0))).containsExactly(entry("user", "u-"));
    assertThat(row.get("ServiceName").asText()).isEqualTo("ap");
    assertThat(Set.copyOf(export.blocksByTable().keySet())).containsExactly("otel_metrics_gauge");
  }

  @Test
  void emptyRequestMapsToNothing() {
    MappedExport export = mapper.map(TENANT_A, ExportMetricsServiceRequest.getDefaultInstance());
    assertThat(export.blocksByTable()).isEmpty();
    assertThat(export.acceptedItems()).isZero();
    assertThat(export.rejectionMessage()).isEmpty();
    assertThat(mapper.map(TENANT_A, request(metric("x").setGauge(Gauge.getDefaultInstance()).build()))
        .blocksByTable()).isEmpty();
  }
}
