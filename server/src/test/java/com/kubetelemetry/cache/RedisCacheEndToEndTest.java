/** Two real servers sharing a real redis-server as L2; Redis killed or hung mid-test never fails a request. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.kubetelemetry.api.v1.MetricQuery;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.TemporalFunction;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.Backend;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisCacheEndToEndTest {
  @RegisterExtension
  @Order(1)
  static final RedisProcess redis = new RedisProcess();

  @RegisterExtension
  @Order(2)
  static final TestServer first = TestServer.create(new StorageBackendFactory(),
      config -> config.withCache(settings()));

  /** One process can open one chDB directory: the second server reads the first one's store (not closing it). */
  @RegisterExtension
  @Order(3)
  static final TestServer second = TestServer.create(config -> Backend.borrowed(first.backend()),
      config -> config.withCache(settings()));

  private static ServerConfig.CacheSection settings() {
    return new ServerConfig.CacheSection(true, 64L << 20, redis.url(), java.time.Duration.ofSeconds(30),
        java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(50), 8);
  }

  @BeforeAll
  static void load() {
    CacheTestData.send(first.uri(), "acme", 1);
  }

  private static QueryRangeRequest request(String metric, long fromOffset, long toOffset, long step) {
    Instant s = CacheTestData.START;
    return QueryRangeRequest.newBuilder()
        .setQuery(MetricQuery.newBuilder().setMetricName(metric)
            .setTemporalFunction(metric.equals("cpu.usage") ? TemporalFunction.TEMPORAL_FUNCTION_UNSPECIFIED
                : TemporalFunction.TEMPORAL_FUNCTION_RATE))
        .setTimeRange(TimeRange.newBuilder().setAbsolute(CacheTestData.absolute(s.plusSeconds(fromOffset),
            s.plusSeconds(toOffset))).setStep(Duration.newBuilder().setSeconds(step))).build();
  }

  @Test
  @Order(1)
  void theSecondServerIsServedFromRedis() {
    QueryRangeRequest whole = request("cpu.usage", 300, 900, 60);
    CacheTestData.Served one = CacheTestData.queryRange(first.uri(), "acme", false, whole);
    CacheTestData.Served two = CacheTestData.queryRange(second.uri(), "acme", false, whole);
    assertThat(one.cache()).isEqualTo("miss");
    assertThat(two.cache()).isEqualTo("hit-l2");
    assertThat(two.comparable()).isEqualTo(one.comparable());
    assertThat(CacheTestData.queryRange(second.uri(), "acme", false, whole).cache()).isEqualTo("hit-l1");

    QueryRangeRequest bucketed = request("http.requests", 0, 6000, 60);
    CacheTestData.Served a = CacheTestData.queryRange(first.uri(), "acme", false, bucketed);
    CacheTestData.Served b = CacheTestData.queryRange(second.uri(), "acme", false, bucketed);
    assertThat(a.cache()).isEqualTo("miss");
    assertThat(b.cache()).isEqualTo("hit-l2");
    assertThat(b.comparable()).isEqualTo(CacheTestData.queryRange(second.uri(), "acme", true, bucketed).comparable());
    assertThat(second.server().cache().metrics().l2Hits()).isPositive();
    assertThat(redis.command("DBSIZE")).isNotEqualTo(":0");
  }

  @Test
  @Order(2)
  void aHungRedisIsWaitedForOnlyUpToTheTimeBudget() {
    QueryRangeRequest r = request("bytes.sent", 1200, 2400, 120);
    long errors = first.server().cache().metrics().l2Errors();
    redis.pause();
    try {
      CacheTestData.Served answer = CacheTestData.queryRange(first.uri(), "acme", false, r);
      assertThat(answer.cache()).isEqualTo("miss");
      assertThat(answer.comparable()).isEqualTo(CacheTestData.queryRange(first.uri(), "acme", true, r).comparable());
      assertThat(first.server().cache().metrics().l2Errors()).isGreaterThan(errors);
    } finally {
      redis.resume();
    }
  }

  @Test
  @Order(3)
  void killingRedisKeepsEveryRequestSucceedingAndTheCacheReconnects() {
    redis.kill();
    for (int i = 0; i < 6; i++) {
      TestServer server = i % 2 == 0 ? first : second;
      QueryRangeRequest r = request(i < 3 ? "cpu.usage" : "http.requests", 60L * i, 3600 + 60L * i, 60);
      CacheTestData.Served cached = CacheTestData.queryRange(server.uri(), "acme", false, r);
      assertThat(cached.comparable()).isEqualTo(CacheTestData.queryRange(server.uri(), "acme", true, r).comparable());
      assertThat(CacheTestData.queryRange(server.uri(), "acme", false, r).cache()).isEqualTo("hit-l1");
    }
    assertThat(first.server().cache().metrics().l2Errors()).isPositive();
    assertThat(second.server().cache().metrics().l2Errors()).isPositive();
    assertThat(first.server().cache().redisHealthy()).isFalse();

    redis.start();
    // Lettuce reconnects in the background: ask with fresh keys until a write from one server is read by the other.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String source = null;
    for (int i = 0; System.nanoTime() < deadline && !"hit-l2".equals(source); i++) {
      QueryRangeRequest r = request("cpu.usage", 7000 - 10L * i, 7100 - 10L * i, 10);
      CacheTestData.queryRange(first.uri(), "acme", false, r);
      source = CacheTestData.queryRange(second.uri(), "acme", false, r).cache();
    }
    assertThat(source).isEqualTo("hit-l2");
    assertThat(second.server().cache().redisHealthy()).isTrue();
  }
}
