/** What served one answer: the value of the {@code x-cache} response header. */
package com.kubetelemetry.cache;

/** Ordered from best to worst; a merged answer reports the worst source among its parts. */
public enum CacheSource {
  HIT_L1("hit-l1"),
  HIT_L2("hit-l2"),
  /** Some time buckets came from the cache, the rest from the engine. */
  PARTIAL("partial"),
  MISS("miss"),
  /** The request asked for {@code cache-control: no-cache}, or the cache is disabled. */
  BYPASS("bypass");

  /** Response metadata naming the source. */
  public static final String HEADER = "x-cache";

  private final String header;

  CacheSource(String header) {
    this.header = header;
  }

  /** The header value, e.g. "hit-l1". */
  public String header() {
    return header;
  }

  /** The source of an answer made of parts served by {@code this} and {@code other}. */
  public CacheSource combine(CacheSource other) {
    if (this == other) {
      return this;
    }
    boolean anyMiss = this == MISS || other == MISS || this == PARTIAL || other == PARTIAL;
    boolean anyHit = this == HIT_L1 || this == HIT_L2 || other == HIT_L1 || other == HIT_L2 || this == PARTIAL
        || other == PARTIAL;
    if (anyMiss && anyHit) {
      return PARTIAL;
    }
    return this.ordinal() > other.ordinal() ? this : other;
  }
}
