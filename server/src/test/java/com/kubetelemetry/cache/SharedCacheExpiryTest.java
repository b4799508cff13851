/** Two caches sharing one real redis-server: an answer one computed is never served past its TTL by the other. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import com.kubetelemetry.config.ServerConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedCacheExpiryTest {
  @RegisterExtension
  static final RedisProcess redis = new RedisProcess();

  private static QueryCache replica(HandClock clock) {
    ServerConfig.CacheSection d = ServerConfig.CacheSection.defaults();
    return QueryCache.create(new ServerConfig.CacheSection(true, 1L << 20, redis.url(), d.ingestDelay(),
        d.bucketTtl(), d.freshTtl(), Duration.ofSeconds(2), d.bucketSteps()), 5, clock);
  }

  @Test
  void anL2HitCopiedToL1ExpiresWhenTheSharedValueDoes() {
    HandClock clock = new HandClock();
    Duration ttl = Duration.ofSeconds(15);
    AtomicInteger loads = new AtomicInteger();
    try (QueryCache one = replica(clock); QueryCache two = replica(clock)) {
      String key = "kt:v5:acme:fresh-tail";
      assertThat(one.fetch(key, ttl, StringValue.parser(), () -> StringValue.of("v" + loads.incrementAndGet()))
          .source()).isEqualTo(CacheSource.MISS);
      // Writes to Redis do not wait (and are dropped before the first connection is up): repeat the same write,
      // at the same simulated instant, until Redis holds it.
      for (int i = 0; i < 10_000 && !redis.command("EXISTS " + key).startsWith(":1"); i++) {
        one.put(key, StringValue.of("v1"), ttl);
      }
      assertThat(redis.command("EXISTS " + key)).startsWith(":1");

      // A replica skips Redis until its connection is up (lookups never wait for it): let the second connect.
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!two.redisConnected() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(two.redisConnected()).isTrue();
      clock.advance(Duration.ofSeconds(10));
      QueryCache.Answer<StringValue> shared = two.fetch(key, ttl, StringValue.parser(),
          () -> StringValue.of("v" + loads.incrementAndGet()));
      assertThat(shared.source()).isEqualTo(CacheSource.HIT_L2);
      assertThat(shared.value().getValue()).isEqualTo("v1");

      // 16 s after the first computation: the copy the second replica took must not outlive the original.
      clock.advance(Duration.ofSeconds(6));
      QueryCache.Answer<StringValue> later = two.fetch(key, ttl, StringValue.parser(),
          () -> StringValue.of("v" + loads.incrementAndGet()));
      assertThat(later.source()).isEqualTo(CacheSource.MISS);
      assertThat(later.value().getValue()).isEqualTo("v2");
    }
  }
}
