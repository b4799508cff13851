/** With {@code cache.enabled=false} every cached API computes its answer and says so with {@code x-cache: bypass}. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.api.v1.GetSpanMetricsRequest;
import com.kubetelemetry.api.v1.LogFilter;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DisabledCacheEndToEndTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withCache(
      new ServerConfig.CacheSection(false, 64L << 20, "", Duration.ofSeconds(30), Duration.ofHours(1),
          Duration.ofSeconds(30), Duration.ofMillis(50), 4)));

  @Test
  void histogramsAndSpanMetricsBypassTheCache() {
    CacheLogData.send(server.uri(), "acme", List.of(CacheTestData.START.plusSeconds(30)), 1);
    var histogram = CacheLogData.histogram(CacheTestData.START, CacheTestData.START.plusSeconds(3600), 60,
        LogFilter.getDefaultInstance());
    for (int i = 0; i < 2; i++) {
      var logs = CacheLogData.call(server.uri(), "acme", false, histogram);
      assertThat(logs.cache()).isEqualTo("bypass");
      assertThat(CacheLogData.total(logs.answer())).isEqualTo(1);
      CachedCall<?> spans = CachedCall.call(server.uri(), TracesServiceGrpc.TracesServiceBlockingStub.class, "acme",
          false, stub -> stub.getSpanMetrics(GetSpanMetricsRequest.newBuilder()
              .setTimeRange(TimeRange.newBuilder().setRelative("1h")).build()));
      assertThat(spans.cache()).isEqualTo("bypass");
    }
    assertThat(server.server().cache().metrics().engineLoads()).isZero();
  }
}
