/** The two-level cache without the server: L1 hits, single flight, size bound, keys per tenant, value packing. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.query.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class QueryCacheTest {
  private static QueryCache cache(long l1Bytes) {
    ServerConfig.CacheSection d = ServerConfig.CacheSection.defaults();
    return QueryCache.create(new ServerConfig.CacheSection(true, l1Bytes, "", d.ingestDelay(), d.bucketTtl(),
        d.freshTtl(), d.redisTimeout(), d.bucketSteps()), 3);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static StringValue text(String s) {
    return StringValue.of(s);
  }

  private static QueryCache.Answer<StringValue> fetch(QueryCache cache, String key, Supplier<StringValue> load) {
    return cache.fetch(key, Duration.ofMinutes(1), StringValue.parser(), load);
  }

  @Test
  void aSecondLookupIsAnL1HitAndDoesNotLoad() {
    try (QueryCache cache = cache(1 << 20)) {
      AtomicInteger loads = new AtomicInteger();
      QueryCache.Answer<StringValue> first = fetch(cache, "k", () -> text("v" + loads.incrementAndGet()));
      QueryCache.Answer<StringValue> second = fetch(cache, "k", () -> text("v" + loads.incrementAndGet()));
      assertThat(first.source()).isEqualTo(CacheSource.MISS);
      assertThat(second.source()).isEqualTo(CacheSource.HIT_L1);
      assertThat(second.value().getValue()).isEqualTo("v1");
      assertThat(loads).hasValue(1);
      assertThat(cache.metrics().l1Hits()).isEqualTo(1);
      assertThat(cache.metrics().l1Misses()).isEqualTo(1);
    }
  }

  @Test
  void concurrentLookupsOfOneKeyWaitForOneLoad() throws Exception {
    try (QueryCache cache = cache(1 << 20)) {
      int callers = 8;
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger loads = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        List<Future<QueryCache.Answer<StringValue>>> answers = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
          answers.add(pool.submit(() -> fetch(cache, "same", () -> {
            loads.incrementAndGet();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return text("answer");
          })));
        }
        // Every other caller has either joined the running load or will find the answer in L1.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (cache.metrics().coalesced() < callers - 1 && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        release.countDown();
        for (Future<QueryCache.Answer<StringValue>> f : answers) {
          assertThat(f.get().value().getValue()).isEqualTo("answer");
        }
      } finally {
        pool.shutdown();
      }
      assertThat(loads).hasValue(1);
      assertThat(cache.metrics().coalesced()).isEqualTo(callers - 1);
      assertThat(cache.metrics().engineLoads()).isEqualTo(1);
    }
  }

  @Test
  void aFailedLoadReachesItsWaitersAndIsNotStored() {
    try (QueryCache cache = cache(1 << 20)) {
      assertThatThrownBy(() -> fetch(cache, "bad", () -> {
        throw new IllegalArgumentException("engine said no");
      })).isInstanceOf(IllegalArgumentException.class).hasMessage("engine said no");
      assertThat(fetch(cache, "bad", () -> text("ok")).source()).isEqualTo(CacheSource.MISS);
    }
  }

  @Test
  void l1StaysWithinItsByteBudget() {
    try (QueryCache cache = cache(64 * 1024)) {
      for (int i = 0; i < 200; i++) {
        fetch(cache, "key" + i, () -> text("x".repeat(4096)));
      }
      StringBuilder text = new StringBuilder();
      cache.metrics().writePrometheus(text);
      long weight = Long.parseLong(text.toString().lines().filter(l -> l.startsWith("kt_cache_l1_bytes "))
          .findFirst().orElseThrow().substring("kt_cache_l1_bytes ".length()));
      assertThat(weight).isLessThanOrEqualTo(64 * 1024).isPositive();
      assertThat(cache.metrics().evictions()).isGreaterThan(150);
    }
  }

  @Test
  void keysDependOnTenantRpcAndRequestAndNameTheSchemaVersion() {
    try (QueryCache cache = cache(1 << 20)) {
      String a = cache.key(new TenantId("acme"), "rpc", bytes("req"));
      assertThat(a).startsWith("kt:v3:acme:").hasSize("kt:v3:acme:".length() + 64);
      assertThat(cache.key(new TenantId("acme"), "rpc", bytes("req"))).isEqualTo(a);
      assertThat(cache.key(new TenantId("globex"), "rpc", bytes("req"))).isNotEqualTo(a);
      assertThat(cache.key(new TenantId("acme"), "rpc2", bytes("req"))).isNotEqualTo(a);
      assertThat(cache.key(new TenantId("acme"), "rpc", bytes("req2"))).isNotEqualTo(a);
    }
  }

  @Test
  void aDisabledCacheAlwaysLoads() {
    try (QueryCache cache = QueryCache.disabled()) {
      AtomicInteger loads = new AtomicInteger();
      fetch(cache, "k", () -> text("v" + loads.incrementAndGet()));
      QueryCache.Answer<StringValue> again = fetch(cache, "k", () -> text("v" + loads.incrementAndGet()));
      assertThat(again.source()).isEqualTo(CacheSource.BYPASS);
      assertThat(loads).hasValue(2);
    }
  }

  @Test
  void valuesRoundTripRawWhenSmallAndCompressedWhenLarge() {
    byte[] small = bytes("short answer");
    byte[] large = bytes("series{labels{pod=a}} ".repeat(500));
    byte[] random = new byte[5000];
    new Random(7).nextBytes(random);
    assertThat(CacheValues.unpack(CacheValues.pack(small))).isEqualTo(small);
    assertThat(CacheValues.pack(large).length).isLessThan(large.length / 5);
    assertThat(CacheValues.unpack(CacheValues.pack(large))).isEqualTo(large);
    assertThat(CacheValues.unpack(CacheValues.pack(random))).isEqualTo(random);
    assertThat(CacheValues.unpack(new byte[] {9, 1, 2})).isNull();
  }

  @Test
  void sourcesCombineIntoPartialWhenHitsAndMissesMix() {
    assertThat(CacheSource.HIT_L1.combine(CacheSource.HIT_L1)).isEqualTo(CacheSource.HIT_L1);
    assertThat(CacheSource.HIT_L1.combine(CacheSource.HIT_L2)).isEqualTo(CacheSource.HIT_L2);
    assertThat(CacheSource.HIT_L2.combine(CacheSource.MISS)).isEqualTo(CacheSource.PARTIAL);
    assertThat(CacheSource.MISS.combine(CacheSource.MISS)).isEqualTo(CacheSource.MISS);
    assertThat(CacheSource.PARTIAL.combine(CacheSource.HIT_L1)).isEqualTo(CacheSource.PARTIAL);
  }
}
