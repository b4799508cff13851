/** Tests the demo generator's traces and logs: determinism, well-formed span trees, ids, errors, correlation. */
package com.kubetelemetry.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DemoTelemetryGeneratorTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  static List<DemoBatch> run(DemoTelemetryGenerator generator, int ticks) {
    List<DemoBatch> batches = new ArrayList<>();
    for (int i = 1; i <= ticks; i++) {
      batches.add(generator.tick(START.plusSeconds(i)));
    }
    return batches;
  }

  static List<Span> spans(DemoBatch batch) {
    List<Span> spans = new ArrayList<>();
    for (ResourceSpans resource : batch.traces().getResourceSpansList()) {
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        spans.addAll(scope.getSpansList());
      }
    }
    return spans;
  }

  static List<LogRecord> logs(DemoBatch batch) {
    List<LogRecord> records = new ArrayList<>();
    for (ResourceLogs resource : batch.logs().getResourceLogsList()) {
      for (ScopeLogs scope : resource.getScopeLogsList()) {
        records.addAll(scope.getLogRecordsList());
      }
    }
    return records;
  }

  static Map<String, AnyValue> attributes(List<KeyValue> keyValues) {
    return keyValues.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
  }

  @Test
  void sameSeedGivesIdenticalBytesAndAnotherSeedDoesNot() {
    List<DemoBatch> first = run(DemoTelemetryGenerator.seeded(42, START), 15);
    List<DemoBatch> second = run(DemoTelemetryGenerator.seeded(42, START), 15);
    List<DemoBatch> other = run(DemoTelemetryGenerator.seeded(43, START), 15);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).traces().toByteArray()).isEqualTo(first.get(i).traces().toByteArray());
      assertThat(second.get(i).metrics().toByteArray()).isEqualTo(first.get(i).metrics().toByteArray());
      assertThat(second.get(i).logs().toByteArray()).isEqualTo(first.get(i).logs().toByteArray());
    }
    assertThat(other.getLast().traces().toByteArray()).isNotEqualTo(first.getLast().traces().toByteArray());
  }

  @Test
  void everySignalIsPresentAndResourcesCarryKubernetesAttributes() {
    DemoBatch batch = run(DemoTelemetryGenerator.seeded(1, START), 5).getLast();
    assertThat(batch.spanCount()).isGreaterThan(20);
    assertThat(batch.logRecordCount()).isPositive();
    assertThat(batch.metrics().getResourceMetricsCount()).isPositive();
    for (ResourceSpans resource : batch.traces().getResourceSpansList()) {
      assertThat(attributes(resource.getResource().getAttributesList())).containsKeys(
          "service.name", "service.namespace", "service.version", "k8s.cluster.name", "k8s.namespace.name",
          "k8s.deployment.name", "k8s.pod.name", "k8s.pod.uid", "k8s.node.name", "k8s.container.name",
          "host.name", "deployment.environment.name");
    }
    Set<String> services = batch.traces().getResourceSpansList().stream()
        .map(r -> attributes(r.getResource().getAttributesList()).get("service.name").getStringValue())
        .collect(Collectors.toSet());
    assertThat(services).contains("frontend", "catalog", "cart");
  }

  @Test
  void traceTreesAreWellFormedWithServerClientPairs() {
    int links = 0;
    int exceptionEvents = 0;
    int slowSpans = 0;
    Set<String> attributeFamilies = new HashSet<>();
    for (DemoBatch batch : run(DemoTelemetryGenerator.seeded(7, START), 30)) {
      List<Span> spans = spans(batch);
      Map<ByteString, Span> byId = new HashMap<>();
      Map<ByteString, List<Span>> children = new HashMap<>();
      for (Span span : spans) {
        assertThat(span.getTraceId().size()).isEqualTo(16);
        assertThat(span.getSpanId().size()).isEqualTo(8);
        assertThat(span.getParentSpanId().size()).isIn(0, 8);
        assertThat(span.getEndTimeUnixNano()).isGreaterThan(span.getStartTimeUnixNano());
        assertThat(byId.put(span.getSpanId(), span)).as("span ids are unique").isNull();
        if (!span.getParentSpanId().isEmpty()) {
          children.computeIfAbsent(span.getParentSpanId(), k -> new ArrayList<>()).add(span);
        }
        if (span.getEndTimeUnixNano() - span.getStartTimeUnixNano() > 250_000_000L) {
          slowSpans++;
        }
      }
      for (Span span : spans) {
        Map<String, AnyValue> attributes = attributes(span.getAttributesList());
        if (!span.getParentSpanId().isEmpty()) {
          Span parent = byId.get(span.getParentSpanId());
          assertThat(parent).as("parent of %s", span.getName()).isNotNull();
          assertThat(parent.getTraceId()).isEqualTo(span.getTraceId());
          assertThat(span.getStartTimeUnixNano()).isGreaterThanOrEqualTo(parent.getStartTimeUnixNano());
          assertThat(span.getEndTimeUnixNano()).isLessThanOrEqualTo(parent.getEndTimeUnixNano());
        }
        List<Span> kids = children.getOrDefault(span.getSpanId(), List.of());
        if (span.getKind() == SpanKind.SPAN_KIND_SERVER && !span.getParentSpanId().isEmpty()) {
          assertThat(byId.get(span.getParentSpanId()).getKind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
        }
        if (span.getKind() == SpanKind.SPAN_KIND_CLIENT) {
          if (attributes.containsKey("db.system.name")) {
            attributeFamilies.add("db");
            assertThat(attributes).containsKeys("db.operation.name", "db.query.text", "db.collection.name");
            assertThat(kids).isEmpty();
          } else {
            attributeFamilies.add(attributes.containsKey("rpc.system") ? "rpc" : "http");
            assertThat(kids).singleElement().extracting(Span::getKind).isEqualTo(SpanKind.SPAN_KIND_SERVER);
          }
        }
        for (Span.Link link : span.getLinksList()) {
          links++;
          assertThat(link.getTraceId()).isNotEqualTo(span.getTraceId());
          assertThat(byId.get(link.getSpanId()).getKind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        }
        for (Span.Event event : span.getEventsList()) {
          assertThat(event.getName()).isEqualTo("exception");
          assertThat(attributes(event.getAttributesList()))
              .containsKeys("exception.type", "exception.message", "exception.stacktrace");
          assertThat(span.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
          exceptionEvents++;
        }
      }
    }
    assertThat(links).isPositive();
    assertThat(exceptionEvents).isPositive();
    assertThat(slowSpans).isPositive();
    assertThat(attributeFamilies).containsExactlyInAnyOrder("http", "rpc", "db");
  }

  @Test
  void errorRateIsPlausibleAndHighestForTheFlakyService() {
    long roots = 0;
    long failedRoots = 0;
    Map<String, long[]> serverSpansByService = new HashMap<>();
    DemoTelemetryGenerator generator = DemoTelemetryGenerator.seeded(11, START);
    for (DemoBatch batch : run(generator, 400)) {
      for (ResourceSpans resource : batch.traces().getResourceSpansList()) {
        String service = attributes(resource.getResource().getAttributesList()).get("service.name").getStringValue();
        for (Span span : resource.getScopeSpans(0).getSpansList()) {
          boolean error = span.getStatus().getCode() == StatusCode.STATUS_CODE_ERROR;
          if (span.getKind() == SpanKind.SPAN_KIND_SERVER) {
            long[] counts = serverSpansByService.computeIfAbsent(service, k -> new long[2]);
            counts[0]++;
            counts[1] += error ? 1 : 0;
            if (span.getParentSpanId().isEmpty()) {
              roots++;
              failedRoots += error ? 1 : 0;
            }
          }
        }
      }
    }
    assertThat(roots).isBetween(6_000L, 10_000L);
    assertThat((double) failedRoots / roots).isBetween(0.015, 0.06);
    double payment = rate(serverSpansByService.get("payment"));
    assertThat(payment).isGreaterThan(0.04);
    for (String service : List.of("catalog", "cart")) {
      assertThat(rate(serverSpansByService.get(service))).isLessThan(payment / 2);
    }
  }

  private static double rate(long[] counts) {
    return (double) counts[1] / counts[0];
  }

  @Test
  void logsHaveVariedSeveritiesAreTraceCorrelatedAndSomeAreStructured() {
    Set<Integer> severities = new HashSet<>();
    int correlated = 0;
    int structured = 0;
    int uncorrelated = 0;
    for (DemoBatch batch : run(DemoTelemetryGenerator.seeded(5, START), 30)) {
      Map<ByteString, Span> spansById = new HashMap<>();
      spans(batch).forEach(s -> spansById.put(s.getSpanId(), s));
      for (LogRecord record : logs(batch)) {
        severities.add(record.getSeverityNumberValue());
        assertThat(record.getSeverityText()).isIn("DEBUG", "INFO", "WARN", "ERROR");
        assertThat(record.getTimeUnixNano()).isPositive();
        if (record.getTraceId().isEmpty()) {
          uncorrelated++;
          assertThat(record.getSpanId()).isEmpty();
        } else {
          correlated++;
          assertThat(record.getTraceId().size()).isEqualTo(16);
          Span span = spansById.get(record.getSpanId());
          assertThat(span).as("log's span is in the same batch").isNotNull();
          assertThat(span.getTraceId()).isEqualTo(record.getTraceId());
        }
        if (record.getBody().hasKvlistValue()) {
          structured++;
        }
      }
    }
    assertThat(severities).contains(5, 9, 13, 17);
    assertThat(correlated).isPositive();
    assertThat(uncorrelated).isPositive();
    assertThat(structured).isPositive();
  }

  @Test
  void ticksDoNotGoBackAndCatchUpIsBounded() {
    DemoTelemetryGenerator generator = DemoTelemetryGenerator.create(DemoCluster.shop(),
        DemoSettings.defaults().withTracesPerSecond(10), 3, START);
    generator.tick(START.plusSeconds(1));
    DemoBatch repeated = generator.tick(START.plusSeconds(1));
    assertThat(repeated.spanCount()).isZero();
    assertThat(repeated.logRecordCount()).isZero();

    Instant late = START.plus(Duration.ofHours(2));
    DemoBatch catchUp = generator.tick(late);
    long earliestAllowed = (late.getEpochSecond() - 60) * 1_000_000_000L;
    List<Span> roots = spans(catchUp).stream().filter(s -> s.getParentSpanId().isEmpty()).toList();
    assertThat(roots).hasSizeBetween(300, 900);
    assertThat(roots).allSatisfy(s -> assertThat(s.getStartTimeUnixNano()).isGreaterThanOrEqualTo(earliestAllowed));
  }
}
