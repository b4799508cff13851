/** GetLogHistogram through the real server with the L1 cache: sliced answers equal uncached ones, hits, tenants. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.api.v1.GetLogHistogramRequest;
import com.kubetelemetry.api.v1.GetLogHistogramResponse;
import com.kubetelemetry.api.v1.LogFilter;
import com.kubetelemetry.api.v1.Severity;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LogHistogramCacheEndToEndTest {
  /** Slices of 4 steps, so most windows span several. */
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withCache(
      new ServerConfig.CacheSection(true, 64L << 20, "", Duration.ofSeconds(30), Duration.ofHours(1),
          Duration.ofSeconds(30), Duration.ofMillis(50), 4)));

  /** Records at random instants (nanosecond precision) over two hours ending a whole hour at least an hour ago. */
  @BeforeAll
  static void load() {
    Random random = new Random(7);
    for (String tenant : List.of("acme", "globex")) {
      List<Instant> times = new ArrayList<>();
      for (int i = 0; i < 1500; i++) {
        times.add(CacheTestData.START.plusNanos(random.nextLong(7_200_000_000_000L)));
      }
      // some records exactly on minute boundaries, where slices and steps meet
      for (int i = 0; i < 120; i++) {
        times.add(CacheTestData.START.plusSeconds(60L * i));
      }
      CacheLogData.send(server.uri(), tenant, times, tenant.length());
    }
  }

  @Test
  void slicedAnswersEqualUncachedAnswersOverRandomWindowsStepsAndFilters() {
    Random random = new Random(20261123);
    long[] steps = {1, 10, 30, 60, 120, 300};
    int counted = 0;
    int partial = 0;
    for (int i = 0; i < 40; i++) {
      long step = steps[random.nextInt(steps.length)];
      long points = 1 + random.nextInt(step == 1 ? 400 : 40);
      boolean aligned = random.nextInt(4) == 0;
      Instant from = CacheTestData.START.plusSeconds(random.nextLong(-1200, 7200));
      Instant to = from.plusSeconds(step * points);
      if (aligned) {
        from = Instant.ofEpochSecond(Math.floorDiv(from.getEpochSecond(), step) * step);
        to = Instant.ofEpochSecond(Math.floorDiv(to.getEpochSecond(), step) * step + step);
      } else {
        from = from.plusNanos(random.nextLong(1_000_000_000L) * (random.nextBoolean() ? 1 : step));
        to = to.minusNanos(random.nextLong(1_000_000_000L) * (random.nextBoolean() ? 1 : step / 2 + 1));
        if (!to.isAfter(from)) {
          to = from.plusSeconds(step);
        }
      }
      LogFilter.Builder filter = LogFilter.newBuilder();
      switch (random.nextInt(5)) {
        case 0 -> filter.setMinSeverity(Severity.forNumber(1 + random.nextInt(6)));
        case 1 -> filter.setServiceName(CacheLogData.SERVICES.get(random.nextInt(CacheLogData.SERVICES.size())));
        case 2 -> filter.addTerms("timeout");
        case 3 -> filter.addTerms("db").setMinSeverity(Severity.SEVERITY_INFO);
        default -> { }
      }
      long askedStep = random.nextInt(8) == 0 ? 0 : step;
      String tenant = random.nextBoolean() ? "acme" : "globex";
      // the window, then the same window moved by a few steps: it shares slices with the first
      long shift = step * (1 + random.nextInt((int) Math.max(1, points / 2))) + random.nextInt(1000) * 1_000_000L;
      for (GetLogHistogramRequest r : List.of(CacheLogData.histogram(from, to, askedStep, filter.build()),
          CacheLogData.histogram(from.plusNanos(shift), to.plusNanos(shift), askedStep, filter.build()))) {
        CachedCall<GetLogHistogramResponse> uncached = CacheLogData.call(server.uri(), tenant, true, r);
        CachedCall<GetLogHistogramResponse> first = CacheLogData.call(server.uri(), tenant, false, r);
        CachedCall<GetLogHistogramResponse> again = CacheLogData.call(server.uri(), tenant, false, r);
        assertThat(uncached.cache()).isEqualTo("bypass");
        assertThat(CacheLogData.withoutStats(first.answer())).as("request %d: %s", i, r)
            .isEqualTo(CacheLogData.withoutStats(uncached.answer()));
        assertThat(CacheLogData.withoutStats(again.answer())).as("request %d again: %s", i, r)
            .isEqualTo(CacheLogData.withoutStats(uncached.answer()));
        assertThat(again.cache()).isEqualTo("hit-l1");
        assertThat(again.answer().getStats().getCached()).isTrue();
        assertThat(uncached.answer().getStats().getCached()).isFalse();
        if (CacheLogData.total(uncached.answer()) > 0) {
          counted++;
        }
        if (first.cache().equals("partial")) {
          partial++;
          assertThat(first.answer().getStats().getCached()).isTrue();
        }
      }
    }
    assertThat(counted).as("requests that counted records").isGreaterThan(50);
    assertThat(partial).as("requests that reused slices of earlier ones").isGreaterThan(10);
  }

  @Test
  void aShiftedWindowReusesTheSlicesItShares() {
    Instant from = CacheTestData.START.plusSeconds(1234).plusMillis(500);
    // a filter no other test uses, so no slice is cached before
    LogFilter alice = LogFilter.newBuilder().addTerms("alice").build();
    GetLogHistogramRequest r = CacheLogData.histogram(from, from.plusSeconds(1800), 60, alice);
    CachedCall<GetLogHistogramResponse> first = CacheLogData.call(server.uri(), "acme", false, r);
    GetLogHistogramRequest shifted = CacheLogData.histogram(from.plusSeconds(600), from.plusSeconds(2400), 60,
        alice);
    CachedCall<GetLogHistogramResponse> moved = CacheLogData.call(server.uri(), "acme", false, shifted);

    assertThat(first.cache()).isEqualTo("miss");
    assertThat(first.answer().getStats().getCached()).isFalse();
    assertThat(moved.cache()).isEqualTo("partial");
    assertThat(CacheLogData.withoutStats(moved.answer())).isEqualTo(CacheLogData.withoutStats(
        CacheLogData.call(server.uri(), "acme", true, shifted).answer()));
    assertThat(moved.answer().getBucketsCount()).isEqualTo(31);
  }

  @Test
  void tenantsNeverSeeEachOthersCachedHistograms() {
    Instant from = CacheTestData.START.plusSeconds(3000);
    GetLogHistogramRequest r = CacheLogData.histogram(from, from.plusSeconds(3600), 120,
        LogFilter.newBuilder().addTerms("logged").build());
    CachedCall<GetLogHistogramResponse> acme = CacheLogData.call(server.uri(), "acme", false, r);
    CachedCall<GetLogHistogramResponse> globex = CacheLogData.call(server.uri(), "globex", false, r);
    CachedCall<GetLogHistogramResponse> nobody = CacheLogData.call(server.uri(), "initech", false, r);

    assertThat(globex.cache()).isEqualTo("miss");
    assertThat(CacheLogData.withoutStats(globex.answer())).isNotEqualTo(CacheLogData.withoutStats(acme.answer()))
        .isEqualTo(CacheLogData.withoutStats(CacheLogData.call(server.uri(), "globex", true, r).answer()));
    assertThat(CacheLogData.total(nobody.answer())).isZero();
    assertThat(CacheLogData.call(server.uri(), "acme", false, r).cache()).isEqualTo("hit-l1");
  }

  @Test
  void invalidRequestsFailAsTheyDoUncached() {
    Instant from = CacheTestData.START;
    for (GetLogHistogramRequest bad : List.of(
        CacheLogData.histogram(from, from.plusSeconds(3600), 0, LogFilter.newBuilder().setTraceId("xyz").build()),
        CacheLogData.histogram(from.plusSeconds(60), from, 60, LogFilter.getDefaultInstance()),
        CacheLogData.histogram(from, from.plusSeconds(86_400), 1, LogFilter.getDefaultInstance()))) {
      StatusRuntimeException cached = catchStatus(bad, false);
      StatusRuntimeException uncached = catchStatus(bad, true);
      assertThat(cached.getStatus().getCode()).isEqualTo(uncached.getStatus().getCode());
      assertThat(cached.getStatus().getDescription()).isEqualTo(uncached.getStatus().getDescription());
    }
  }

  private static StatusRuntimeException catchStatus(GetLogHistogramRequest r, boolean noCache) {
    try {
      CacheLogData.call(server.uri(), "acme", noCache, r);
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("expected the call to fail: " + r);
  }
}
