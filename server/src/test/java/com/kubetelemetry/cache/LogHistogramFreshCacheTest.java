/** GetLogHistogram over a window ending now, on a hand-moved clock: the fresh part is recomputed after freshTtl. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.kubetelemetry.api.v1.GetLogHistogramRequest;
import com.kubetelemetry.api.v1.GetLogHistogramResponse;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LogHistogramFreshCacheTest {
  /** Starts 17.25 s after a whole minute, so the window's ends cut steps. */
  private static final HandClock CLOCK = new HandClock(Instant.ofEpochSecond(
      Instant.now().getEpochSecond() / 60 * 60 - 600).plusMillis(17_250));

  /** Ingest delay 30 s, fresh answers kept 20 s, slices of 4 steps. */
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withCache(
      new ServerConfig.CacheSection(true, 64L << 20, "", java.time.Duration.ofSeconds(30),
          java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(20), java.time.Duration.ofMillis(50), 4)),
      CLOCK);

  private static CachedCall<GetLogHistogramResponse> ask(GetLogHistogramRequest r, boolean noCache) {
    return CacheLogData.call(server.uri(), "acme", noCache, r);
  }

  @Test
  void theFreshPartIsServedFromTheCacheWithinFreshTtlAndRecomputedAfter() {
    Instant now = CLOCK.instant();
    List<Instant> old = new ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      old.add(now.minusMillis(6_000L * i - 137));
    }
    CacheLogData.send(server.uri(), "acme", old, 1);
    GetLogHistogramRequest lastHalfHour = GetLogHistogramRequest.newBuilder().setTimeRange(TimeRange.newBuilder()
        .setRelative("30m").setStep(Duration.newBuilder().setSeconds(60))).build();

    CachedCall<GetLogHistogramResponse> first = ask(lastHalfHour, false);
    assertThat(first.cache()).isEqualTo("miss");
    assertThat(CacheLogData.withoutStats(first.answer()))
        .isEqualTo(CacheLogData.withoutStats(ask(lastHalfHour, true).answer()));
    assertThat(CacheLogData.total(first.answer())).isEqualTo(300);
    assertThat(first.answer().getBucketsCount()).isEqualTo(31);

    // New records within the last ingest delay: the cached answer does not show them until freshTtl has passed.
    List<Instant> recent = List.of(now.minusSeconds(25), now.minusSeconds(12), now.minusMillis(300));
    CacheLogData.send(server.uri(), "acme", recent, 2);
    CachedCall<GetLogHistogramResponse> soon = ask(lastHalfHour, false);
    assertThat(soon.cache()).isEqualTo("hit-l1");
    assertThat(soon.answer().getBucketsList()).isEqualTo(first.answer().getBucketsList());
    assertThat(CacheLogData.total(ask(lastHalfHour, true).answer())).isEqualTo(303);

    CLOCK.advance(java.time.Duration.ofSeconds(21));
    CachedCall<GetLogHistogramResponse> later = ask(lastHalfHour, false);
    CachedCall<GetLogHistogramResponse> laterUncached = ask(lastHalfHour, true);
    // the completed slices come from the cache, the fresh one and the cut steps from the engine
    assertThat(later.cache()).isEqualTo("partial");
    assertThat(CacheLogData.withoutStats(later.answer()))
        .isEqualTo(CacheLogData.withoutStats(laterUncached.answer()));
    // 21 s later the window has lost the records of its first 21 s (four of the old ones, 6 s apart)
    assertThat(CacheLogData.total(later.answer())).isEqualTo(300 - 4 + 3);
    assertThat(ask(lastHalfHour, false).cache()).isEqualTo("hit-l1");
  }
}
