/** TracesService.GetSpanMetrics through the cache: the whole answer is cached, keyed by tenant and request. */
package com.kubetelemetry.cache;

import com.kubetelemetry.api.v1.GetSpanMetricsRequest;
import com.kubetelemetry.api.v1.GetSpanMetricsResponse;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.read.ReadContext;
import java.util.function.BiFunction;

/**
 * Unlike QueryRange, a span metrics answer cannot be assembled from time slices: each series' {@code total} holds
 * exact latency quantiles over the whole range (quantiles of parts do not combine into the quantile of the
 * whole), and the series kept are the busiest over the whole range. So the answer is cached whole, keyed as
 * {@link WholeRangeKey} says: a window that ended before now - {@code cache.ingestDelay} by its absolute bounds
 * for {@code cache.bucketTtl}; a window ending now by the range as the request gave it, for
 * {@code cache.freshTtl}, so dashboard refreshes within freshTtl are hits and see figures at most freshTtl stale
 * (the promise QueryRange's fresh tail makes). Identical requests in flight share one engine query
 * ({@link QueryCache#fetch}). Answers served from the cache have {@code stats.cached} set.
 */
public final class SpanMetricsCache {
  static final String RPC = "traces.GetSpanMetrics";

  private final QueryCache cache;
  private final ReadContext context;
  private final BiFunction<TenantId, GetSpanMetricsRequest, GetSpanMetricsResponse> engine;
  /** The rpc part of the keys; names the settings that shape answers, so replicas configured apart never share. */
  private final String rpc;

  /**
   * @param engine computes the uncached answer (and reports bad requests by throwing, as the call does)
   * @param pointCap the most points an answer may hold (a part of the key: it decides which answers fail)
   */
  public SpanMetricsCache(QueryCache cache, ReadContext context,
      BiFunction<TenantId, GetSpanMetricsRequest, GetSpanMetricsResponse> engine, long pointCap) {
    this.cache = cache;
    this.context = context;
    this.engine = engine;
    this.rpc = RPC + "/maxPoints=" + context.settings().maxPoints() + "/pointCap=" + pointCap
        + "/defaultRange=" + context.settings().defaultTimeRange();
  }

  /** The answer to {@code request} for {@code tenant}, equal to an uncached one apart from its stats. */
  public GetSpanMetricsResponse spanMetrics(TenantId tenant, GetSpanMetricsRequest request) {
    long started = System.nanoTime();
    if (!cache.enabled() || CacheHeaders.bypassRequested()) {
      GetSpanMetricsResponse out = engine.apply(tenant, request);
      cache.answered(CacheSource.BYPASS, started);
      return out;
    }
    WholeRangeKey key;
    try {
      TimeWindow window = WholeRangeKey.window(context, request.getTimeRange());
      key = WholeRangeKey.of(request.getTimeRange(), window, context.clock().instant(), cache.settings());
    } catch (RuntimeException invalid) {
      // The call reports the problem exactly as it would uncached.
      GetSpanMetricsResponse out = engine.apply(tenant, request);
      cache.answered(CacheSource.MISS, started);
      return out;
    }
    if (key.ttl().isZero()) {
      GetSpanMetricsResponse out = engine.apply(tenant, request);
      cache.answered(CacheSource.MISS, started);
      return out;
    }
    // The engine runs the keyed request: the request's own window, absolute once complete, as given while fresh.
    GetSpanMetricsRequest keyed = request.toBuilder().setTimeRange(key.range()).build();
    QueryCache.Answer<GetSpanMetricsResponse> a = cache.fetch(
        cache.key(tenant, rpc, QueryRangeCache.canonical(keyed)), key.ttl(), GetSpanMetricsResponse.parser(),
        () -> markCached(engine.apply(tenant, keyed), true), true,
        // A window ending now is served while younger than freshTtl, recomputed in the background past half of it.
        key.ttl().equals(cache.settings().freshTtl()) ? key.ttl().dividedBy(2) : null);
    GetSpanMetricsResponse out = a.source() == CacheSource.MISS ? markCached(a.value(), false) : a.value();
    cache.answered(a.source(), started);
    return out;
  }

  private static GetSpanMetricsResponse markCached(GetSpanMetricsResponse r, boolean cached) {
    if (r.getStats().getCached() == cached) {
      return r;
    }
    return r.toBuilder().setStats(r.getStats().toBuilder().setCached(cached)).build();
  }
}
