/** LogsService.GetLogHistogram through the cache: counts per step cut into time slices, completed ones cached long. */
package com.kubetelemetry.cache;

import com.kubetelemetry.api.v1.GetLogHistogramRequest;
import com.kubetelemetry.api.v1.GetLogHistogramResponse;
import com.kubetelemetry.api.v1.LogHistogramBucket;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.Severity;
import com.kubetelemetry.api.v1.SeverityCount;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.query.logs.LogSeverity;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Record counts add up, so a histogram splits exactly by time. The request's window is resolved once; the steps it
 * covers fully are cut at multiples of {@code cache.bucketSteps * step} since the epoch, and each slice is fetched
 * whole: cached {@code cache.bucketTtl} once it ended before now - {@code cache.ingestDelay} (shared by every
 * window overlapping it), {@code cache.freshTtl} while it is the fresh one (its key depends only on the slice, so
 * a sliding window reuses it). A step the window covers only partly (its first and last ones, unless the window
 * starts or ends on a step boundary) is counted exactly over the window's part of it, uncached. Windows of fewer
 * than {@code 2 * bucketSteps} steps are computed whole. The assembled answer is cached too, keyed as
 * {@link WholeRangeKey} says, so asking again is one lookup. Answers served from the cache have
 * {@code stats.cached} set.
 */
public final class LogHistogramCache {
  static final String RPC = "logs.GetLogHistogram";
  private static final int LEVELS = LogSeverity.values().length;

  private final QueryCache cache;
  private final ReadContext context;
  private final BiFunction<TenantId, GetLogHistogramRequest, StepGrid> grids;
  private final BiFunction<TenantId, GetLogHistogramRequest, GetLogHistogramResponse> engine;
  /** The rpc part of the keys; names the settings that shape answers, so replicas configured apart never share. */
  private final String rpc;

  /**
   * @param grids the step grid the call answers {@code request} on; throws as the call would on a bad request
   * @param engine computes the uncached answer
   */
  public LogHistogramCache(QueryCache cache, ReadContext context,
      BiFunction<TenantId, GetLogHistogramRequest, StepGrid> grids,
      BiFunction<TenantId, GetLogHistogramRequest, GetLogHistogramResponse> engine) {
    this.cache = cache;
    this.context = context;
    this.grids = grids;
    this.engine = engine;
    this.rpc = RPC + "/maxPoints=" + context.settings().maxPoints() + "/defaultRange="
        + context.settings().defaultTimeRange();
  }

  /** The request resolved: its window, its grid and the same request with that window and step made explicit. */
  private record Shape(TimeWindow window, StepGrid grid, GetLogHistogramRequest exact) {}

  private record Fetched(GetLogHistogramResponse answer, CacheSource source) {}

  /** The answer to {@code request} for {@code tenant}, equal to an uncached one apart from its stats. */
  public GetLogHistogramResponse histogram(TenantId tenant, GetLogHistogramRequest request) {
    long started = System.nanoTime();
    if (!cache.enabled() || CacheHeaders.bypassRequested()) {
      GetLogHistogramResponse out = engine.apply(tenant, request);
      cache.answered(CacheSource.BYPASS, started);
      return out;
    }
    Instant now = context.clock().instant();
    Shape shape;
    WholeRangeKey key;
    try {
      TimeWindow window = WholeRangeKey.window(context, request.getTimeRange());
      GetLogHistogramRequest fixed = within(request, window.start(), window.end(), null);
      StepGrid grid = grids.apply(tenant, fixed);
      shape = new Shape(window, grid, within(request, window.start(), window.end(), grid.step()));
      key = WholeRangeKey.of(request.getTimeRange(), window, now, cache.settings());
    } catch (RuntimeException invalid) {
      // The call reports the problem exactly as it would uncached.
      GetLogHistogramResponse out = engine.apply(tenant, request);
      cache.answered(CacheSource.MISS, started);
      return out;
    }
    Instant completeBefore = now.minus(cache.settings().ingestDelay());
    boolean whole = shape.grid().points() < 2L * Math.max(1, cache.settings().bucketSteps());
    Fetched result;
    if (key.ttl().isZero()) {
      result = whole ? new Fetched(engine.apply(tenant, shape.exact()), CacheSource.MISS)
          : bucketed(tenant, shape, completeBefore);
    } else {
      // A window kept relative is answered as given (the window it names now), any other by its exact bounds.
      GetLogHistogramRequest keyed = key.range().getRangeCase() == TimeRange.RangeCase.ABSOLUTE
          && key.range().getAbsolute().hasEnd() ? shape.exact() : request;
      Fetched[] built = new Fetched[1];
      QueryCache.Answer<GetLogHistogramResponse> a = cache.fetch(cache.key(tenant, rpc, QueryRangeCache.canonical(
          keyed)), key.ttl(), GetLogHistogramResponse.parser(), () -> {
            built[0] = whole ? new Fetched(engine.apply(tenant, shape.exact()), CacheSource.MISS)
                : bucketed(tenant, shape, completeBefore);
            return markCached(built[0].answer(), true);
          }, whole);
      result = a.source() == CacheSource.MISS && built[0] != null
          ? new Fetched(a.value(), built[0].source()) : new Fetched(a.value(), a.source());
    }
    GetLogHistogramResponse out = result.answer();
    out = markCached(out, result.source() != CacheSource.MISS);
    cache.answered(result.source(), started);
    return out;
  }

  /** One part of the window: its answer, of which only the buckets starting in [keepFrom, keepTo) are used. */
  private record Part(GetLogHistogramResponse answer, long keepFrom, long keepTo) {}

  private Fetched bucketed(TenantId tenant, Shape shape, Instant completeBefore) {
    long started = System.nanoTime();
    StepGrid grid = shape.grid();
    long step = grid.step().toSeconds();
    long slice = step * Math.max(1, cache.settings().bucketSteps());
    Instant ws = shape.window().start();
    Instant we = shape.window().end();
    long gridStart = grid.start().getEpochSecond();
    long gridEnd = grid.end().getEpochSecond();
    // [first, last): the steps the window covers fully.
    long first = Math.ceilDiv(ws.getEpochSecond() + (ws.getNano() > 0 ? 1 : 0), step) * step;
    long last = Math.floorDiv(we.getEpochSecond(), step) * step;
    List<Part> parts = new ArrayList<>();
    CacheSource source = null;
    try {
      if (Instant.ofEpochSecond(first).isAfter(ws)) {
        GetLogHistogramRequest head = within(shape.exact(), ws, Instant.ofEpochSecond(first), grid.step());
        parts.add(new Part(engine.apply(tenant, head), gridStart, first));
        source = CacheSource.MISS;
      }
      for (long b = Math.floorDiv(first, slice) * slice; b < last; b += slice) {
        Fetched f = slice(tenant, within(shape.exact(), Instant.ofEpochSecond(b), Instant.ofEpochSecond(b + slice),
            grid.step()), Instant.ofEpochSecond(b + slice), completeBefore);
        parts.add(new Part(f.answer(), Math.max(b, first), Math.min(b + slice, last)));
        source = source == null ? f.source() : source.combine(f.source());
      }
      if (we.isAfter(Instant.ofEpochSecond(last))) {
        GetLogHistogramRequest tail = within(shape.exact(), Instant.ofEpochSecond(last), we, grid.step());
        parts.add(new Part(engine.apply(tenant, tail), last, gridEnd));
        source = source == null ? CacheSource.MISS : source.combine(CacheSource.MISS);
      }
    } catch (RuntimeException sliceRejected) {
      // e.g. a slice longer than query.maxTimeRange: the window itself may still be fine.
      cache.metrics().mergeFallbacks.increment();
      return new Fetched(engine.apply(tenant, shape.exact()), CacheSource.MISS);
    }
    return new Fetched(merge(parts, grid, started), source == null ? CacheSource.MISS : source);
  }

  /** The answer for the step-aligned slice {@code request} ending at {@code end}: long-lived once complete. */
  private Fetched slice(TenantId tenant, GetLogHistogramRequest request, Instant end, Instant completeBefore) {
    Duration ttl = end.isAfter(completeBefore) ? cache.settings().freshTtl() : cache.settings().bucketTtl();
    if (ttl.isZero()) {
      return new Fetched(engine.apply(tenant, request), CacheSource.MISS);
    }
    // The fresh slice is served while younger than freshTtl and recomputed in the background past half of it.
    Duration refreshAfter = end.isAfter(completeBefore) ? ttl.dividedBy(2) : null;
    QueryCache.Answer<GetLogHistogramResponse> a = cache.fetch(cache.key(tenant, rpc,
        QueryRangeCache.canonical(request)), ttl, GetLogHistogramResponse.parser(),
        () -> markCached(engine.apply(tenant, request), true), true, refreshAfter);
    return new Fetched(a.value(), a.source());
  }

  /** Adds the parts' counts per step and level into the buckets of {@code grid}, as the call fills them. */
  private static GetLogHistogramResponse merge(List<Part> parts, StepGrid grid, long started) {
    long step = grid.step().toSeconds();
    long gridStart = grid.start().getEpochSecond();
    int points = Math.toIntExact(grid.points());
    long[][] counts = new long[points][LEVELS];
    long[] totals = new long[points];
    long rowsRead = 0;
    for (Part part : parts) {
      rowsRead += part.answer().getStats().getRowsRead();
      for (LogHistogramBucket b : part.answer().getBucketsList()) {
        long t = b.getStartTime().getSeconds();
        if (t < part.keepFrom() || t >= part.keepTo()) {
          continue;
        }
        int k = Math.toIntExact((t - gridStart) / step);
        totals[k] += b.getTotal();
        for (SeverityCount c : b.getCountsList()) {
          counts[k][c.getSeverityValue()] += c.getCount();
        }
      }
    }
    GetLogHistogramResponse.Builder out = GetLogHistogramResponse.newBuilder()
        .setStep(ProtoQueries.duration(grid.step().toNanos()));
    for (int k = 0; k < points; k++) {
      LogHistogramBucket.Builder bucket = LogHistogramBucket.newBuilder()
          .setStartTime(ProtoQueries.timestamp((gridStart + k * step) * 1_000_000_000L)).setTotal(totals[k]);
      for (int level = 0; level < LEVELS; level++) {
        if (counts[k][level] > 0) {
          bucket.addCounts(SeverityCount.newBuilder().setSeverity(Severity.forNumber(level))
              .setCount(counts[k][level]));
        }
      }
      out.addBuckets(bucket);
    }
    return out.setStats(QueryStats.newBuilder().setRowsRead(rowsRead)
        .setElapsed(ProtoQueries.duration(System.nanoTime() - started))).build();
  }

  /** {@code request} over [from, to), with {@code step} when not null (else the request's own). */
  private static GetLogHistogramRequest within(GetLogHistogramRequest request, Instant from, Instant to,
      Duration step) {
    TimeRange.Builder range = WholeRangeKey.absolute(request.getTimeRange(), from, to).toBuilder();
    if (step != null) {
      range.setStep(com.google.protobuf.Duration.newBuilder().setSeconds(step.toSeconds()));
    }
    return request.toBuilder().setTimeRange(range).build();
  }

  private static GetLogHistogramResponse markCached(GetLogHistogramResponse r, boolean cached) {
    if (r.getStats().getCached() == cached) {
      return r;
    }
    return r.toBuilder().setStats(r.getStats().toBuilder().setCached(cached)).build();
  }
}
