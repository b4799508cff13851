/** A QueryRange with no step and no series limit answers a fleet-sized metric under the default limits. */
package com.kubetelemetry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.api.v1.MetricQuery;
import com.kubetelemetry.api.v1.MetricsServiceGrpc;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.QueryRangeResponse;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DefaultQueryRangeTest {
  private static final int PODS = 60;

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());

  private static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  @Test
  void aLastHourQueryOfSixtySeriesWithNoStepOrLimitIsAnswered() {
    long now = Instant.now().getEpochSecond();
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int pod = 0; pod < PODS; pod++) {
      for (long t = now - 3000; t < now; t += 60) {
        gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000_000L).setAsDouble(pod)
            .addAttributes(text("pod", "pod-" + pod)));
      }
    }
    GrpcClients.newClient(server.uri(),
            io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc.MetricsServiceBlockingStub.class)
        .export(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(text("service.name", "fleet")))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("fleet.load")
                .setGauge(gauge)))).build());

    // About 300 steps x 60 series: more points than one series may have, well under the default answer cap.
    QueryRangeResponse r = GrpcClients.newClient(server.uri(), MetricsServiceGrpc.MetricsServiceBlockingStub.class)
        .queryRange(QueryRangeRequest.newBuilder().setQuery(MetricQuery.newBuilder().setMetricName("fleet.load"))
            .setTimeRange(TimeRange.newBuilder().setRelative("1h")).build());

    assertThat(r.getSeriesList()).hasSize(PODS);
    assertThat(r.getStepStartsUnixMsCount()).isBetween(300, 301);
    assertThat(r.getSeriesList()).allSatisfy(s -> {
      assertThat(s.getValuesCount()).isEqualTo(r.getStepStartsUnixMsCount());
      int pod = Integer.parseInt(s.getLabelsOrThrow("pod").substring("pod-".length()));
      for (int k = 0; k < s.getValuesCount(); k++) {
        if (!s.getGapsList().contains(k)) {
          assertThat(s.getValues(k)).isEqualTo(pod);
        }
      }
      assertThat(s.getGapsCount()).isLessThan(s.getValuesCount());
    });
  }
}
