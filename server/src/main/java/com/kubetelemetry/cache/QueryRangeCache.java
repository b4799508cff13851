/** MetricsService.QueryRange through the cache: step-aligned time buckets, completed ones cached long, tail fresh. */
package com.kubetelemetry.cache;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.QueryRangeResponse;
import com.kubetelemetry.api.v1.SeriesLimit;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.metrics.range.MetricRangeQueries;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.metrics.MetricQueryCompiler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The request's range is resolved and aligned to its step first (as the call itself does), so a relative range
 * asked twice within one step has one key. Ranges of fewer than {@code 2 * cache.bucketSteps} steps are cached
 * whole. Longer ranges are cut at multiples of {@code bucketSteps * step} since the epoch: a bucket that ended
 * before now - {@code cache.ingestDelay} is fetched whole (cached {@code cache.bucketTtl}, shared by every range
 * that overlaps it) and trimmed to the range; an incomplete bucket (the fresh tail) is fetched whole too but cached
 * only {@code cache.freshTtl}, so refreshes of a sliding window share it, on any replica. A tail at least half of
 * freshTtl old is still served but recomputed in the background (stale-while-revalidate), so a dashboard that
 * keeps refreshing never waits for the engine. A merged answer is kept in L1 (each replica assembles its own from
 * the slices it holds, faster than a Redis round trip); one reaching into the fresh part lives half of freshTtl, so
 * its newest points are at most 1.5 x freshTtl old, and is reassembled in the background after a quarter of
 * freshTtl, which revalidates the tail slice it was built from. {@link RangeParts} merges the slices; when it
 * cannot do so exactly the range is computed whole. Answers served from the cache have {@code info.stats.cached}
 * set.
 */
public final class QueryRangeCache {
  static final String RPC = "metrics.QueryRange";

  private final QueryCache cache;
  private final MetricRangeQueries engine;
  private final Clock clock;
  private final ServerConfig.QuerySection limits;
  /** The rpc part of the keys; names the limits that shape answers, so replicas configured apart never share. */
  private final String rpc;

  public QueryRangeCache(QueryCache cache, MetricRangeQueries engine, Clock clock, ServerConfig.QuerySection limits) {
    this.cache = cache;
    this.engine = engine;
    this.clock = clock;
    this.limits = limits;
    this.rpc = RPC + "/maxSeries=" + limits.maxSeries() + "/maxPoints=" + limits.maxPoints();
  }

  /** The answer to {@code request} for {@code tenant}, equal to an uncached one apart from its stats. */
  public QueryRangeResponse queryRange(TenantId tenant, QueryRangeRequest request) {
    long started = System.nanoTime();
    if (!cache.enabled() || CacheHeaders.bypassRequested()) {
      QueryRangeResponse out = engine.queryRange(tenant, request);
      cache.answered(CacheSource.BYPASS, started);
      return out;
    }
    MetricRangeQueries.RangeShape shape;
    try {
      shape = engine.rangeShape(request);
    } catch (RuntimeException invalid) {
      // The call reports the problem exactly as it would uncached.
      QueryRangeResponse out = engine.queryRange(tenant, request);
      cache.answered(CacheSource.MISS, started);
      return out;
    }
    StepGrid grid = shape.steps();
    ServerConfig.CacheSection settings = cache.settings();
    Instant completeBefore = clock.instant().minus(settings.ingestDelay());
    Fetched result;
    if (grid.points() < 2L * settings.bucketSteps()) {
      result = slice(tenant, request, grid.start(), grid.end(), grid.step(), completeBefore);
    } else {
      // The merged answer is kept too (in L1), so asking again within one step is a single lookup. One that
      // reaches into the fresh part is rebuilt in the background once half its life is over: the rebuild looks its
      // slices up again, which keeps the fresh tail revalidated while the merged answer is what the dashboard hits.
      boolean fresh = grid.end().isAfter(completeBefore);
      Duration ttl = fresh ? settings.freshTtl().dividedBy(2) : settings.bucketTtl();
      if (ttl.isZero()) {
        result = bucketed(tenant, request, shape, completeBefore);
      } else {
        String key = cache.key(tenant, rpc + "/merged", canonical(absolute(request, grid.start(), grid.end(),
            grid.step())));
        Fetched[] built = new Fetched[1];
        Supplier<QueryRangeResponse> assemble = () -> {
          built[0] = bucketed(tenant, request, shape, completeBefore);
          return markCached(built[0].answer(), true);
        };
        QueryCache.Answer<QueryRangeResponse> a = cache.fetchAssembled(key, ttl, QueryRangeResponse.parser(),
            assemble, fresh ? ttl.dividedBy(2) : null);
        result = a.source() == CacheSource.MISS && built[0] != null
            ? new Fetched(a.value(), built[0].source()) : new Fetched(a.value(), a.source());
      }
    }
    QueryRangeResponse out = result.answer();
    if (result.source() == CacheSource.MISS) {
      out = markCached(out, false);
    }
    cache.answered(result.source(), started);
    return out;
  }

  private static QueryRangeResponse markCached(QueryRangeResponse r, boolean cached) {
    if (r.getInfo().getStats().getCached() == cached) {
      return r;
    }
    return r.toBuilder().setInfo(r.getInfo().toBuilder().setStats(r.getInfo().getStats().toBuilder()
        .setCached(cached))).build();
  }

  private record Fetched(QueryRangeResponse answer, CacheSource source) {}

  private Fetched bucketed(TenantId tenant, QueryRangeRequest request, MetricRangeQueries.RangeShape shape,
      Instant completeBefore) {
    StepGrid grid = shape.steps();
    long bucketSeconds = grid.step().toSeconds() * cache.settings().bucketSteps();
    // Slices carry every series (up to query.maxSeries): the requested top-k is applied after merging, and slices
    // are shared by requests that differ only in their limit.
    QueryRangeRequest all = request.toBuilder().setQuery(request.getQuery().toBuilder()
        .setLimit(SeriesLimit.newBuilder().setMaxSeries(Math.max(1, limits.maxSeries())))).build();
    long start = grid.start().getEpochSecond();
    long end = grid.end().getEpochSecond();
    List<RangeParts.Part> parts = new ArrayList<>();
    CacheSource source = null;
    for (long b = Math.floorDiv(start, bucketSeconds) * bucketSeconds; b < end; b += bucketSeconds) {
      // Every bucket is fetched whole, the incomplete ones too (briefly cached): their key depends only on the
      // bucket, so the next refresh, whose range has moved by a step or more, reuses the same fresh tail.
      Fetched f;
      try {
        f = slice(tenant, all, Instant.ofEpochSecond(b), Instant.ofEpochSecond(b + bucketSeconds), grid.step(),
            completeBefore);
      } catch (RuntimeException tooLarge) {
        // e.g. a slice over the point cap with every series: the whole range with its own limit may still fit.
        cache.metrics().mergeFallbacks.increment();
        return slice(tenant, request, grid.start(), grid.end(), grid.step(), completeBefore);
      }
      Instant keepFrom = Instant.ofEpochSecond(Math.max(b, start));
      Instant keepTo = Instant.ofEpochSecond(Math.min(b + bucketSeconds, end));
      parts.add(new RangeParts.Part(f.answer(), keepFrom, keepTo));
      source = source == null ? f.source() : source.combine(f.source());
    }
    int maxSeries = shape.limit().maxSeries() == 0
        ? Math.min(MetricQueryCompiler.DEFAULT_SERIES, Math.max(1, limits.maxSeries())) : shape.limit().maxSeries();
    QueryRangeResponse merged = RangeParts.merge(parts, grid, shape.limit(), maxSeries, limits.maxPoints());
    if (merged != null) {
      return new Fetched(merged, source);
    }
    cache.metrics().mergeFallbacks.increment();
    return slice(tenant, request, grid.start(), grid.end(), grid.step(), completeBefore);
  }

  /** The answer for the step-aligned slice [from, to), cached long when it is complete, briefly when not. */
  private Fetched slice(TenantId tenant, QueryRangeRequest request, Instant from, Instant to, Duration step,
      Instant completeBefore) {
    QueryRangeRequest sliceRequest = absolute(request, from, to, step);
    Duration ttl = to.isAfter(completeBefore) ? cache.settings().freshTtl() : cache.settings().bucketTtl();
    if (ttl.isZero()) {
      return new Fetched(engine.queryRange(tenant, sliceRequest), CacheSource.MISS);
    }
    String key = cache.key(tenant, rpc, canonical(sliceRequest));
    Duration refreshAfter = to.isAfter(completeBefore) ? ttl.dividedBy(2) : null;
    QueryCache.Answer<QueryRangeResponse> a = cache.fetch(key, ttl, QueryRangeResponse.parser(),
        () -> markCached(engine.queryRange(tenant, sliceRequest, cache::paced), true), true, refreshAfter);
    return new Fetched(a.value(), a.source());
  }

  private static QueryRangeRequest absolute(QueryRangeRequest request, Instant from, Instant to, Duration step) {
    return request.toBuilder().setTimeRange(TimeRange.newBuilder()
        .setAbsolute(AbsoluteTimeRange.newBuilder().setStart(timestamp(from)).setEnd(timestamp(to)))
        .setStep(com.google.protobuf.Duration.newBuilder().setSeconds(step.toSeconds()))).build();
  }

  /** Deterministic bytes of {@code m} (map fields in key order). */
  static byte[] canonical(Message m) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(m.getSerializedSize());
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    try {
      m.writeTo(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
