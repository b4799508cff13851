/** Tests the benchmark span factory: exact span counts, ten attributes per span, valid ids, determinism. */
package com.kubetelemetry.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanBatchFactoryTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private static List<Span> spans(ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream())
        .toList();
  }

  @Test
  void givesExactlyTheRequestedSpansWithTenAttributesAndValidIds() {
    SpanBatchFactory factory = new SpanBatchFactory(1);
    for (int n : new int[] {0, 1, 7, 512}) {
      List<Span> spans = spans(factory.create(n, START));
      assertThat(spans).hasSize(n);
      assertThat(spans).allSatisfy(span -> {
        assertThat(span.getAttributesCount()).isEqualTo(10);
        assertThat(span.getTraceId().size()).isEqualTo(16);
        assertThat(span.getSpanId().size()).isEqualTo(8);
        assertThat(span.getEndTimeUnixNano()).isGreaterThan(span.getStartTimeUnixNano());
        assertThat(span.getStartTimeUnixNano()).isGreaterThanOrEqualTo(START.getEpochSecond() * 1_000_000_000L);
      });
    }
    ExportTraceServiceRequest batch = factory.create(512, START);
    assertThat(batch.getResourceSpansCount()).isGreaterThan(1);
    assertThat(spans(batch).stream().map(Span::getTraceId).distinct().count()).isBetween(20L, 512L);
  }

  @Test
  void isDeterministicForASeedAndNewIdsOnEachCall() {
    ExportTraceServiceRequest first = new SpanBatchFactory(5).create(512, START);
    ExportTraceServiceRequest again = new SpanBatchFactory(5).create(512, START);
    assertThat(again.toByteArray()).isEqualTo(first.toByteArray());
    SpanBatchFactory factory = new SpanBatchFactory(5);
    factory.create(512, START);
    assertThat(factory.create(512, START).toByteArray()).isNotEqualTo(first.toByteArray());
  }

  @Test
  void rejectsANegativeCount() {
    assertThatThrownBy(() -> new SpanBatchFactory(1).create(-1, START)).isInstanceOf(IllegalArgumentException.class);
  }
}
