/** MetricsService.QueryRange through the cache: step-aligned time buckets, completed ones cached long, tail fresh. */
package com.kubetelemetry.cache;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
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

/**
 * The request's range is resolved and aligned to its step first (as the call itself does), so a relative range
 * asked twice within one step has one key. Ranges of fewer than {@code 2 * cache.bucketSteps} steps are cached
 * whole. Longer ranges are cut at multiples of {@code bucketSteps * step} since the epoch: a bucket that ended
 * before now - {@code cache.ingestDelay} is fetched whole (cached {@code cache.bucketTtl}, shared by every range
 * that overlaps it) and trimmed to the range; the rest, from the first incomplete bucket to the end, is one fresh
 * slice cached {@code cache.freshTtl}. {@link RangeParts} merges the slices; when it cannot do so exactly the
 * range is computed whole. Answers served from the cache have {@code info.stats.cached} set.
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
      finish(CacheSource.BYPASS, started);
      return out;
    }
    MetricRangeQueries.RangeShape shape;
    try {
      shape = engine.rangeShape(request);
    } catch (RuntimeException invalid) {
      // The call reports the problem exactly as it would uncached.
      QueryRangeResponse out = engine.queryRange(tenant, request);
      finish(CacheSource.MISS, started);
      return out;
    }
    StepGrid grid = shape.steps();
    ServerConfig.CacheSection settings = cache.settings();
    Instant completeBefore = clock.instant().minus(settings.ingestDelay());
    Duration step = grid.step();
    long bucketSeconds = step.toSeconds() * settings.bucketSteps();
    Fetched result;
    if (grid.points() < 2L * settings.bucketSteps()) {
      result = slice(tenant, request, grid.start(), grid.end(), step, completeBefore);
    } else {
      result = bucketed(tenant, request, shape, bucketSeconds, completeBefore);
    }
    QueryRangeResponse out = result.answer();
    if (result.source() == CacheSource.HIT_L1 || result.source() == CacheSource.HIT_L2
        || result.source() == CacheSource.PARTIAL) {
      out = out.toBuilder().setInfo(out.getInfo().toBuilder().setStats(out.getInfo().getStats().toBuilder()
          .setCached(true))).build();
    }
    finish(result.source(), started);
    return out;
  }

  private record Fetched(QueryRangeResponse answer, CacheSource source) {}

  private Fetched bucketed(TenantId tenant, QueryRangeRequest request, MetricRangeQueries.RangeShape shape,
      long bucketSeconds, Instant completeBefore) {
    StepGrid grid = shape.steps();
    // Slices carry every series (up to query.maxSeries): the requested top-k is applied after merging, and slices
    // are shared by requests that differ only in their limit.
    QueryRangeRequest all = request.toBuilder().setQuery(request.getQuery().toBuilder()
        .setLimit(SeriesLimit.newBuilder().setMaxSeries(Math.max(1, limits.maxSeries())))).build();
    long start = grid.start().getEpochSecond();
    long end = grid.end().getEpochSecond();
    List<RangeParts.Part> parts = new ArrayList<>();
    CacheSource source = null;
    for (long b = Math.floorDiv(start, bucketSeconds) * bucketSeconds; b < end; b += bucketSeconds) {
      Instant from = Instant.ofEpochSecond(b);
      Instant to = Instant.ofEpochSecond(b + bucketSeconds);
      Fetched f;
      Instant keepFrom = Instant.ofEpochSecond(Math.max(b, start));
      Instant keepTo;
      try {
        if (!to.isAfter(completeBefore)) {
          f = slice(tenant, all, from, to, grid.step(), completeBefore);
          keepTo = Instant.ofEpochSecond(Math.min(b + bucketSeconds, end));
        } else {
          f = slice(tenant, all, keepFrom, grid.end(), grid.step(), completeBefore);
          keepTo = grid.end();
          b = end;
        }
      } catch (RuntimeException tooLarge) {
        // e.g. a slice over the point cap with every series: the whole range with its own limit may still fit.
        cache.metrics().mergeFallbacks.increment();
        return slice(tenant, request, grid.start(), grid.end(), grid.step(), completeBefore);
      }
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
    QueryRangeRequest sliceRequest = request.toBuilder().setTimeRange(TimeRange.newBuilder()
        .setAbsolute(AbsoluteTimeRange.newBuilder().setStart(timestamp(from)).setEnd(timestamp(to)))
        .setStep(com.google.protobuf.Duration.newBuilder().setSeconds(step.toSeconds()))).build();
    Duration ttl = to.isAfter(completeBefore) ? cache.settings().freshTtl() : cache.settings().bucketTtl();
    String key = cache.key(tenant, rpc, canonical(sliceRequest));
    if (ttl.isZero()) {
      return new Fetched(engine.queryRange(tenant, sliceRequest), CacheSource.MISS);
    }
    QueryCache.Answer a = cache.fetch(key, ttl, () -> engine.queryRange(tenant, sliceRequest).toByteArray());
    try {
      return new Fetched(QueryRangeResponse.parseFrom(a.bytes()), a.source());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cached QueryRange answer does not parse", e);
    }
  }

  private void finish(CacheSource source, long started) {
    CacheHeaders.report(source);
    cache.metrics().answered(source, System.nanoTime() - started);
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
