/** Histograms and span metrics stored in a real redis-server (L2) are read back equal to their uncached answers. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.api.v1.GetLogHistogramRequest;
import com.kubetelemetry.api.v1.GetLogHistogramResponse;
import com.kubetelemetry.api.v1.GetSpanMetricsRequest;
import com.kubetelemetry.api.v1.GetSpanMetricsResponse;
import com.kubetelemetry.api.v1.LogFilter;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.kubetelemetry.traces.ShopTraces;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisSharedAnswersEndToEndTest {
  @RegisterExtension
  @Order(1)
  static final RedisProcess redis = new RedisProcess();

  @RegisterExtension
  @Order(2)
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withCache(
      new ServerConfig.CacheSection(true, 64L << 20, redis.url(), Duration.ofSeconds(30), Duration.ofHours(1),
          Duration.ofSeconds(30), Duration.ofSeconds(2), 4)));

  @BeforeAll
  static void load() {
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      times.add(CacheTestData.START.plusMillis(17_003L * i));
    }
    CacheLogData.send(server.uri(), "acme", times, 5);
    GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class)
        .export(ShopTraces.request(ShopTraces.generate(9L, CacheTestData.START, "acme", 30)));
  }

  /**
   * Asks until an answer comes from Redis: writes to Redis do not wait, so the first ones may be lost before the
   * connection is up; L1 is emptied before each ask so only L2 can serve it.
   */
  private static <T> CachedCall<T> untilServedByRedis(Supplier<CachedCall<T>> ask) {
    CachedCall<T> last = ask.get();
    for (int i = 0; i < 1000 && !last.cache().equals("hit-l2"); i++) {
      server.server().cache().clearL1();
      last = ask.get();
    }
    return last;
  }

  @Test
  void aHistogramIsServedFromRedisEqualToTheUncachedOne() {
    GetLogHistogramRequest r = CacheLogData.histogram(CacheTestData.START.plusMillis(1500),
        CacheTestData.START.plusSeconds(3000).plusMillis(250), 60, LogFilter.getDefaultInstance());
    CachedCall<GetLogHistogramResponse> shared = untilServedByRedis(
        () -> CacheLogData.call(server.uri(), "acme", false, r));
    assertThat(shared.cache()).isEqualTo("hit-l2");
    assertThat(CacheLogData.withoutStats(shared.answer()))
        .isEqualTo(CacheLogData.withoutStats(CacheLogData.call(server.uri(), "acme", true, r).answer()));
    assertThat(CacheLogData.total(shared.answer())).isPositive();
  }

  @Test
  void spanMetricsAreServedFromRedisEqualToTheUncachedOnes() {
    GetSpanMetricsRequest r = GetSpanMetricsRequest.newBuilder().setTimeRange(TimeRange.newBuilder()
        .setAbsolute(CacheTestData.absolute(CacheTestData.START, CacheTestData.START.plusSeconds(600)))).build();
    CachedCall<GetSpanMetricsResponse> shared = untilServedByRedis(() -> CachedCall.call(server.uri(),
        TracesServiceGrpc.TracesServiceBlockingStub.class, "acme", false, stub -> stub.getSpanMetrics(r)));
    GetSpanMetricsResponse uncached = CachedCall.call(server.uri(), TracesServiceGrpc.TracesServiceBlockingStub.class,
        "acme", true, stub -> stub.getSpanMetrics(r)).answer();
    assertThat(shared.cache()).isEqualTo("hit-l2");
    assertThat(shared.answer().getStats().getCached()).isTrue();
    assertThat(shared.answer().toBuilder().setStats(QueryStats.getDefaultInstance()).build())
        .isEqualTo(uncached.toBuilder().setStats(QueryStats.getDefaultInstance()).build());
    assertThat(uncached.getSeriesList()).isNotEmpty();
  }
}
