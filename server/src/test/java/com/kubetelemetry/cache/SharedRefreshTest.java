/** Background refreshes across replicas sharing one real redis-server, assembled answers kept per replica. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import com.kubetelemetry.config.ServerConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SharedRefreshTest {
  @RegisterExtension
  static final RedisProcess redis = new RedisProcess();

  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Duration REFRESH_AFTER = Duration.ofSeconds(15);

  private static QueryCache replica(HandClock clock, Executor refresher, String redisUrl) {
    ServerConfig.CacheSection d = ServerConfig.CacheSection.defaults();
    QueryCache cache = QueryCache.create(new ServerConfig.CacheSection(true, 1L << 20, redisUrl, d.ingestDelay(),
        d.bucketTtl(), TTL, Duration.ofSeconds(2), d.bucketSteps()), 5, clock, refresher);
    if (!redisUrl.isEmpty()) {
      // Lookups skip Redis until the connection is up (they never wait for it): wait for it here.
      awaitTrue(cache::redisConnected, "the replica connects to redis-server");
    }
    return cache;
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }

  /** The length Redis reports for {@code key} (0 when absent). */
  private static long storedLength(String key) {
    return Long.parseLong(redis.command("STRLEN " + key).substring(1));
  }

  @Test
  void aDueCopyTakesTheNewerAnswerAnotherReplicaRefreshedInsteadOfComputingIt() {
    HandClock clock = new HandClock();
    HeldTasks oneBackground = new HeldTasks();
    HeldTasks twoBackground = new HeldTasks();
    AtomicInteger loads = new AtomicInteger();
    Supplier<StringValue> load = () -> StringValue.of("answer " + "+".repeat(loads.incrementAndGet()));
    String key = "kt:v5:acme:shared-tail";
    try (QueryCache one = replica(clock, oneBackground, redis.url());
         QueryCache two = replica(clock, twoBackground, redis.url())) {
      one.fetch(key, TTL, StringValue.parser(), load, true, REFRESH_AFTER);
      awaitTrue(() -> storedLength(key) > 0, "the first answer reaches Redis");
      long firstLength = storedLength(key);

      clock.advance(Duration.ofSeconds(10));
      QueryCache.Answer<StringValue> copied = two.fetch(key, TTL, StringValue.parser(), load, true, REFRESH_AFTER);
      assertThat(copied.source()).isEqualTo(CacheSource.HIT_L2);

      // 16 s: the first replica's answer is due; its background load computes the second answer.
      clock.advance(Duration.ofSeconds(6));
      one.fetch(key, TTL, StringValue.parser(), load, true, REFRESH_AFTER);
      assertThat(oneBackground.runAll()).isEqualTo(1);
      awaitTrue(() -> storedLength(key) != firstLength, "the refreshed answer reaches Redis");

      // The second replica's copy (computed at 0 s) is due too: its refresh finds the newer one in Redis.
      QueryCache.Answer<StringValue> stale = two.fetch(key, TTL, StringValue.parser(), load, true, REFRESH_AFTER);
      assertThat(stale.value().getValue()).isEqualTo("answer +");
      assertThat(twoBackground.runAll()).isEqualTo(1);
      assertThat(two.metrics().refreshesShared()).isEqualTo(1);
      assertThat(two.metrics().refreshes()).isZero();
      QueryCache.Answer<StringValue> now = two.fetch(key, TTL, StringValue.parser(), load, true, REFRESH_AFTER);
      assertThat(now.source()).isEqualTo(CacheSource.HIT_L1);
      assertThat(now.value().getValue()).isEqualTo("answer ++");
      assertThat(loads).as("one computation per refresh across both replicas").hasValue(2);
    }
  }

  @Test
  void assembledAnswersStayInTheReplicaThatAssembledThem() {
    HandClock clock = new HandClock();
    AtomicInteger assembled = new AtomicInteger();
    Supplier<StringValue> assemble = () -> StringValue.of("merged " + assembled.incrementAndGet());
    String key = "kt:v5:acme:merged";
    String marker = "kt:v5:acme:written-after";
    try (QueryCache one = replica(clock, Runnable::run, redis.url());
         QueryCache two = replica(clock, Runnable::run, redis.url())) {
      assertThat(one.fetchAssembled(key, TTL, StringValue.parser(), assemble, null).source())
          .isEqualTo(CacheSource.MISS);
      assertThat(one.fetchAssembled(key, TTL, StringValue.parser(), assemble, null).source())
          .isEqualTo(CacheSource.HIT_L1);
      // Writes on one connection land in order: once a later write is there, an earlier one would be too.
      one.put(marker, StringValue.of("x"), TTL);
      awaitTrue(() -> storedLength(marker) > 0, "the later write reaches Redis");
      assertThat(storedLength(key)).isZero();

      QueryCache.Answer<StringValue> other = two.fetchAssembled(key, TTL, StringValue.parser(), assemble, null);
      assertThat(other.source()).isEqualTo(CacheSource.MISS);
      assertThat(other.value().getValue()).isEqualTo("merged 2");
      assertThat(one.metrics().engineLoads() + two.metrics().engineLoads()).isZero();
    }
  }

  @Test
  void awaitRefreshesReturnsOnceTheBackgroundLoadsHaveFinished() throws Exception {
    HandClock clock = new HandClock();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger loads = new AtomicInteger();
    Supplier<StringValue> slow = () -> {
      if (loads.incrementAndGet() > 1) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return StringValue.of("v" + loads.get());
    };
    String key = "kt:v5:acme:slow";
    try (QueryCache cache = replica(clock, task -> Thread.ofVirtual().start(task), "")) {
      cache.fetch(key, TTL, StringValue.parser(), slow, true, REFRESH_AFTER);
      clock.advance(Duration.ofSeconds(20));
      assertThat(cache.fetch(key, TTL, StringValue.parser(), slow, true, REFRESH_AFTER).value().getValue())
          .isEqualTo("v1");

      CompletableFuture<Void> quiet = CompletableFuture.runAsync(cache::awaitRefreshes);
      assertThatThrownBy(() -> quiet.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
      release.countDown();
      quiet.get(30, TimeUnit.SECONDS);
      assertThat(cache.fetch(key, TTL, StringValue.parser(), slow, true, REFRESH_AFTER).value().getValue())
          .isEqualTo("v2");
    }
  }
}
