/** Counters of the query cache (hits, misses, bytes, evictions, Redis errors, latency) and their Prometheus text. */
package com.kubetelemetry.cache;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Thread-safe; one instance per {@link QueryCache}. Latency is a fixed-bucket histogram per answer source. */
public final class CacheMetrics {
  /** Upper bounds of the latency buckets, in seconds. */
  static final double[] LATENCY_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5};

  final LongAdder l1Hits = new LongAdder();
  final LongAdder l1Misses = new LongAdder();
  final LongAdder l2Hits = new LongAdder();
  final LongAdder l2Misses = new LongAdder();
  final LongAdder l2Errors = new LongAdder();
  final LongAdder l2BytesRead = new LongAdder();
  final LongAdder l2BytesWritten = new LongAdder();
  final LongAdder engineLoads = new LongAdder();
  final LongAdder coalesced = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder evictedBytes = new LongAdder();
  final LongAdder mergeFallbacks = new LongAdder();
  final LongAdder refreshes = new LongAdder();
  final LongAdder refreshFailures = new LongAdder();
  final LongAdder refreshesShared = new LongAdder();
  private final Map<CacheSource, Latency> latency = new EnumMap<>(CacheSource.class);
  private volatile LongSupplier l1Bytes = () -> 0;
  private volatile LongSupplier l1Entries = () -> 0;

  public CacheMetrics() {
    for (CacheSource s : CacheSource.values()) {
      latency.put(s, new Latency());
    }
  }

  void l1Size(LongSupplier bytes, LongSupplier entries) {
    this.l1Bytes = bytes;
    this.l1Entries = entries;
  }

  /** Records one answered request: what served it and how long it took. */
  public void answered(CacheSource source, long nanos) {
    latency.get(source).record(nanos);
  }

  public long l1Hits() {
    return l1Hits.sum();
  }

  public long l1Misses() {
    return l1Misses.sum();
  }

  public long l2Hits() {
    return l2Hits.sum();
  }

  public long l2Misses() {
    return l2Misses.sum();
  }

  /** Redis calls that failed or ran over {@code cache.redisTimeout}. */
  public long l2Errors() {
    return l2Errors.sum();
  }

  /** Answers (or buckets) computed by the engine because no level had them. */
  public long engineLoads() {
    return engineLoads.sum();
  }

  /** Lookups that waited for an identical in-flight load instead of starting their own. */
  public long coalesced() {
    return coalesced.sum();
  }

  public long evictions() {
    return evictions.sum();
  }

  /** Bucketed answers that could not be merged exactly and were computed whole. */
  public long mergeFallbacks() {
    return mergeFallbacks.sum();
  }

  /** Answers recomputed in the background while their older copy was served (stale-while-revalidate). */
  public long refreshes() {
    return refreshes.sum();
  }

  /** Background recomputations that failed (the older copy stays until it expires). */
  public long refreshFailures() {
    return refreshFailures.sum();
  }

  /** Background refreshes that took a newer copy another replica had put in Redis instead of computing. */
  public long refreshesShared() {
    return refreshesShared.sum();
  }

  /** Requests answered by {@code source}. */
  public long answers(CacheSource source) {
    return latency.get(source).count.sum();
  }

  /** Appends the metrics in the Prometheus text exposition format (version 0.0.4). */
  public void writePrometheus(StringBuilder out) {
    counter(out, "kt_cache_hits_total", "Cache lookups served, by level.", "level", "l1", l1Hits.sum(), "l2",
        l2Hits.sum());
    counter(out, "kt_cache_misses_total", "Cache lookups not served, by level.", "level", "l1", l1Misses.sum(),
        "l2", l2Misses.sum());
    counter(out, "kt_cache_redis_errors_total", "Redis calls that failed or exceeded cache.redisTimeout.", null,
        null, l2Errors.sum(), null, 0);
    counter(out, "kt_cache_redis_bytes_total", "Bytes moved to and from Redis.", "direction", "read",
        l2BytesRead.sum(), "written", l2BytesWritten.sum());
    counter(out, "kt_cache_engine_loads_total", "Answers or buckets the engine computed for the cache.", null, null,
        engineLoads.sum(), null, 0);
    counter(out, "kt_cache_coalesced_total", "Lookups that joined an identical in-flight load.", null, null,
        coalesced.sum(), null, 0);
    counter(out, "kt_cache_evictions_total", "L1 entries evicted for size.", null, null, evictions.sum(), null, 0);
    counter(out, "kt_cache_evicted_bytes_total", "Bytes of L1 entries evicted for size.", null, null,
        evictedBytes.sum(), null, 0);
    counter(out, "kt_cache_refreshes_total", "Answers recomputed in the background while served from cache.",
        "outcome", "ok", refreshes.sum(), "failed", refreshFailures.sum());
    counter(out, "kt_cache_refreshes_shared_total", "Background refreshes served by a newer copy in Redis.", null,
        null, refreshesShared.sum(), null, 0);
    counter(out, "kt_cache_merge_fallbacks_total", "Bucketed answers computed whole because a merge was not exact.",
        null, null, mergeFallbacks.sum(), null, 0);
    out.append("# HELP kt_cache_l1_bytes Weight of the entries in L1.\n# TYPE kt_cache_l1_bytes gauge\n")
        .append("kt_cache_l1_bytes ").append(l1Bytes.getAsLong()).append('\n');
    out.append("# HELP kt_cache_l1_entries Entries in L1.\n# TYPE kt_cache_l1_entries gauge\n")
        .append("kt_cache_l1_entries ").append(l1Entries.getAsLong()).append('\n');
    out.append("# HELP kt_cache_request_seconds Latency of cacheable requests, by what served them.\n")
        .append("# TYPE kt_cache_request_seconds histogram\n");
    for (CacheSource s : CacheSource.values()) {
      latency.get(s).write(out, s.header());
    }
  }

  private static void counter(StringBuilder out, String name, String help, String label, String v1, long n1,
      String v2, long n2) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    if (label == null) {
      out.append(name).append(' ').append(n1).append('\n');
      return;
    }
    out.append(name).append('{').append(label).append("=\"").append(v1).append("\"} ").append(n1).append('\n');
    out.append(name).append('{').append(label).append("=\"").append(v2).append("\"} ").append(n2).append('\n');
  }

  /** One latency histogram. */
  private static final class Latency {
    private final LongAdder[] buckets = new LongAdder[LATENCY_BOUNDS.length];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    Latency() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void record(long nanos) {
      double seconds = nanos / 1e9;
      for (int i = 0; i < LATENCY_BOUNDS.length; i++) {
        if (seconds <= LATENCY_BOUNDS[i]) {
          buckets[i].increment();
          break;
        }
      }
      count.increment();
      sumNanos.add(nanos);
    }

    void write(StringBuilder out, String source) {
      long cumulative = 0;
      for (int i = 0; i < LATENCY_BOUNDS.length; i++) {
        cumulative += buckets[i].sum();
        out.append("kt_cache_request_seconds_bucket{source=\"").append(source).append("\",le=\"")
            .append(LATENCY_BOUNDS[i]).append("\"} ").append(cumulative).append('\n');
      }
      long n = count.sum();
      out.append("kt_cache_request_seconds_bucket{source=\"").append(source).append("\",le=\"+Inf\"} ").append(n)
          .append('\n');
      out.append("kt_cache_request_seconds_sum{source=\"").append(source).append("\"} ")
          .append(sumNanos.sum() / 1e9).append('\n');
      out.append("kt_cache_request_seconds_count{source=\"").append(source).append("\"} ").append(n).append('\n');
    }
  }
}
