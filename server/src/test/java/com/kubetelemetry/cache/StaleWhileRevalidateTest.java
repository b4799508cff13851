/** Lookups naming a refresh age: an old hit is served at once and recomputed once in the background. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.read.ReadActivity;
import com.kubetelemetry.sql.Sql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StaleWhileRevalidateTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Duration REFRESH_AFTER = Duration.ofSeconds(15);

  private static QueryCache cache(HandClock clock, Executor refresher) {
    return cache(clock, refresher, new ReadActivity());
  }

  private static QueryCache cache(HandClock clock, Executor refresher, ReadActivity reads) {
    ServerConfig.CacheSection d = ServerConfig.CacheSection.defaults();
    return QueryCache.create(new ServerConfig.CacheSection(true, 1L << 20, "", d.ingestDelay(), d.bucketTtl(),
        TTL, d.redisTimeout(), d.bucketSteps()), 5, clock, refresher, reads);
  }

  private static QueryCache.Answer<StringValue> fetch(QueryCache cache, Supplier<StringValue> load) {
    return cache.fetch("kt:v5:acme:tail", TTL, StringValue.parser(), load, true, REFRESH_AFTER);
  }

  @Test
  void anAnswerPastItsRefreshAgeIsServedWhileOneBackgroundLoadReplacesIt() {
    HandClock clock = new HandClock();
    HeldTasks background = new HeldTasks();
    AtomicInteger loads = new AtomicInteger();
    Supplier<StringValue> load = () -> StringValue.of("v" + loads.incrementAndGet());
    try (QueryCache cache = cache(clock, background)) {
      assertThat(fetch(cache, load).value().getValue()).isEqualTo("v1");

      clock.advance(Duration.ofSeconds(10));
      assertThat(fetch(cache, load).source()).isEqualTo(CacheSource.HIT_L1);
      assertThat(background.runAll()).as("younger than the refresh age: nothing to do").isZero();

      clock.advance(Duration.ofSeconds(10));
      QueryCache.Answer<StringValue> old = fetch(cache, load);
      QueryCache.Answer<StringValue> again = fetch(cache, load);
      assertThat(old.source()).isEqualTo(CacheSource.HIT_L1);
      assertThat(old.value().getValue()).isEqualTo("v1");
      assertThat(again.value().getValue()).isEqualTo("v1");
      assertThat(background.runAll()).as("one refresh for both lookups").isEqualTo(1);

      QueryCache.Answer<StringValue> fresh = fetch(cache, load);
      assertThat(fresh.source()).isEqualTo(CacheSource.HIT_L1);
      assertThat(fresh.value().getValue()).isEqualTo("v2");
      assertThat(loads).hasValue(2);
      assertThat(cache.metrics().refreshes()).isEqualTo(1);
      assertThat(cache.metrics().engineLoads()).isEqualTo(2);
    }
  }

  @Test
  void theRefreshedAnswerLivesItsFullTimeFromWhenItWasComputed() {
    HandClock clock = new HandClock();
    HeldTasks background = new HeldTasks();
    AtomicInteger loads = new AtomicInteger();
    Supplier<StringValue> load = () -> StringValue.of("v" + loads.incrementAndGet());
    try (QueryCache cache = cache(clock, background)) {
      fetch(cache, load);
      clock.advance(Duration.ofSeconds(20));
      fetch(cache, load);
      background.runAll();
      // 29 s after the refresh (49 s after the first load): still the refreshed answer, nothing reloaded.
      clock.advance(Duration.ofSeconds(29));
      QueryCache.Answer<StringValue> late = fetch(cache, load);
      assertThat(late.value().getValue()).isEqualTo("v2");
      background.runAll();
      // Past its time to live it is never served: the lookup loads on the caller's thread.
      clock.advance(Duration.ofSeconds(31));
      QueryCache.Answer<StringValue> expired = fetch(cache, load);
      assertThat(expired.source()).isEqualTo(CacheSource.MISS);
      assertThat(expired.value().getValue()).isEqualTo("v" + loads.get());
    }
  }

  @Test
  void aFailedRefreshKeepsServingTheOlderAnswerUntilItExpires() {
    HandClock clock = new HandClock();
    HeldTasks background = new HeldTasks();
    try (QueryCache cache = cache(clock, background)) {
      fetch(cache, () -> StringValue.of("good"));
      clock.advance(Duration.ofSeconds(20));
      assertThat(fetch(cache, () -> {
        throw new IllegalStateException("engine down");
      }).value().getValue()).isEqualTo("good");
      background.runAll();
      assertThat(cache.metrics().refreshFailures()).isEqualTo(1);
      assertThat(fetch(cache, () -> StringValue.of("unused")).value().getValue()).isEqualTo("good");
    }
  }

  @Test
  void loadsInsideABackgroundRefreshAreToldToReadOnOneEngineThread() {
    HandClock clock = new HandClock();
    HeldTasks background = new HeldTasks();
    Sql statement = new Sql("SELECT 1", List.of(), Map.of("max_execution_time", "5"));
    List<Map<String, String>> seen = new ArrayList<>();
    try (QueryCache cache = cache(clock, background)) {
      Supplier<StringValue> load = () -> {
        seen.add(cache.paced(statement).settings());
        return StringValue.of("v" + seen.size());
      };
      fetch(cache, load);
      clock.advance(Duration.ofSeconds(20));
      fetch(cache, load);
      background.runAll();
      assertThat(seen).hasSize(2);
      assertThat(seen.get(0)).isEqualTo(statement.settings());
      assertThat(seen.get(1)).containsEntry("max_threads", "1").containsEntry("max_execution_time", "5");
    }
  }

  @Test
  void aBackgroundRefreshWaitsWhileAReadIsInFlight() throws InterruptedException {
    HandClock clock = new HandClock();
    HeldTasks background = new HeldTasks();
    ReadActivity reads = new ReadActivity();
    AtomicInteger loads = new AtomicInteger();
    Supplier<StringValue> load = () -> StringValue.of("v" + loads.incrementAndGet());
    try (QueryCache cache = cache(clock, background, reads)) {
      fetch(cache, load);
      clock.advance(Duration.ofSeconds(20));
      reads.begin();
      assertThat(fetch(cache, load).value().getValue()).isEqualTo("v1");
      Thread refresh = Thread.ofVirtual().start(background::runAll);
      // Until the refresh either parks (waiting for quiet) or finishes.
      while (refresh.isAlive() && refresh.getState() != Thread.State.TIMED_WAITING) {
        Thread.onSpinWait();
      }
      assertThat(loads).as("no engine load while a read is in flight").hasValue(1);
      assertThat(refresh.isAlive()).isTrue();

      reads.end();
      refresh.join();
      assertThat(loads).hasValue(2);
      assertThat(fetch(cache, load).value().getValue()).isEqualTo("v2");
    }
  }
}
