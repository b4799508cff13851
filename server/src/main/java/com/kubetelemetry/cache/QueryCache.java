/** The two-level answer cache: Caffeine in process (L1), Redis shared (L2), one engine load per in-flight key. */
package com.kubetelemetry.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.read.ReadActivity;
import com.kubetelemetry.sql.Sql;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Lookup order L1 -> L2 -> engine; an answer found in L2 is copied to L1, one computed by the engine goes to both.
 * Identical keys looked up while a load is running wait for it instead of loading again (single flight). Keys are
 * {@code kt:v<schemaVersion>:<tenant>:<sha256(tenant, rpc, canonical request)>}, so answers never cross tenants or
 * schema versions. L1 keeps the decoded protobuf answers (weighed by their serialized size), so a hit costs one
 * map lookup; L2 keeps their serialized bytes.
 *
 * <p>A lookup may name a refresh age (stale-while-revalidate): a hit on an answer older than that is served as
 * is while one background load replaces it, so a dashboard re-asking a fresh range never waits for the engine and
 * the answers it gets are never older than their time to live. That load waits until the server's read calls have
 * been quiet for a moment (at most a second, or until a request needs its answer), so it does not compete with the
 * requests it was triggered by.
 */
public final class QueryCache implements AutoCloseable {
  /** An answer and the level that served it. */
  public record Answer<T>(T value, CacheSource source) {}

  /** A stored answer; {@code storedAtNanos} on the cache's clock (for an L2 copy: when the replica computed it). */
  private record Entry(MessageLite value, int weight, long ttlNanos, long storedAtNanos) {}

  private static final int ENTRY_OVERHEAD = 96;
  /**
   * A background refresh starts once no read call has run for this long (a dashboard's panels arrive together, so
   * its refreshes run after them rather than among them), or after {@link #REFRESH_MAX_WAIT} under constant load.
   */
  private static final Duration REFRESH_QUIET = Duration.ofMillis(20);
  private static final Duration REFRESH_MAX_WAIT = Duration.ofSeconds(1);

  /** A background refresh in flight; a request that needs its answer now sets {@code awaited}. */
  private static final class RefreshFuture extends CompletableFuture<Answer<?>> {
    private volatile boolean awaited;
  }

  private final ServerConfig.CacheSection settings;
  private final MessageDigest digest;
  private final String namespace;
  private final CacheMetrics metrics = new CacheMetrics();
  private final Cache<String, Entry> l1;
  private final RedisTier l2;
  private final ConcurrentHashMap<String, CompletableFuture<Answer<?>>> inflight = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Bound while a background refresh runs, so loads can tell they have no caller waiting. */
  private final ScopedValue<Boolean> inRefresh = ScopedValue.newInstance();
  /** Background refreshes not yet finished. */
  private final Set<CompletableFuture<Answer<?>>> refreshing = ConcurrentHashMap.newKeySet();
  private final Clock clock;
  /** Runs background refreshes; a new (virtual) thread each, so a refresh never queues behind one it waits for. */
  private final Executor refresher;
  /** The server's read calls, which background refreshes let go first. */
  private final ReadActivity reads;

  private QueryCache(ServerConfig.CacheSection settings, int schemaVersion, Clock clock, Executor refresher,
      ReadActivity reads) {
    this.settings = settings;
    this.namespace = "kt:v" + schemaVersion + ":";
    this.clock = clock;
    this.refresher = refresher;
    this.reads = reads;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    if (!settings.enabled()) {
      this.l1 = null;
      this.l2 = null;
      return;
    }
    this.l1 = Caffeine.newBuilder()
        .maximumWeight(Math.max(1, settings.l1MaxBytes()))
        .weigher((String k, Entry e) -> e.weight())
        .expireAfter(new Expiry<String, Entry>() {
          @Override
          public long expireAfterCreate(String key, Entry value, long currentTime) {
            return value.ttlNanos();
          }

          @Override
          public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
            return value.ttlNanos();
          }

          @Override
          public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .executor(Runnable::run)
        .ticker(this::nowNanos)
        .removalListener((String k, Entry e, RemovalCause cause) -> {
          if (cause == RemovalCause.SIZE) {
            metrics.evictions.increment();
            metrics.evictedBytes.add(e == null ? 0 : e.weight());
          }
        })
        .build();
    var policy = l1.policy().eviction().orElseThrow();
    metrics.l1Size(() -> policy.weightedSize().orElse(0), l1::estimatedSize);
    this.l2 = settings.redisUrl().isBlank() ? null : new RedisTier(settings.redisUrl(), settings.redisTimeout(),
        metrics, clock);
  }

  /** A cache as configured ({@code cache.enabled}, L2 when {@code cache.redisUrl} is set). */
  public static QueryCache create(ServerConfig.CacheSection settings, int schemaVersion) {
    return create(settings, schemaVersion, Clock.systemUTC());
  }

  /** As {@link #create(ServerConfig.CacheSection, int)}, with expiry measured on {@code clock} (benchmarks). */
  public static QueryCache create(ServerConfig.CacheSection settings, int schemaVersion, Clock clock) {
    return create(settings, schemaVersion, clock, new ReadActivity());
  }

  /** As above; background refreshes wait for a quiet moment in {@code reads} (the server's read calls). */
  public static QueryCache create(ServerConfig.CacheSection settings, int schemaVersion, Clock clock,
      ReadActivity reads) {
    return new QueryCache(settings, schemaVersion, clock, BACKGROUND, reads);
  }

  /** As above, with background refreshes run by {@code refresher} (tests run them on the caller's thread). */
  static QueryCache create(ServerConfig.CacheSection settings, int schemaVersion, Clock clock, Executor refresher) {
    return create(settings, schemaVersion, clock, refresher, new ReadActivity());
  }

  static QueryCache create(ServerConfig.CacheSection settings, int schemaVersion, Clock clock, Executor refresher,
      ReadActivity reads) {
    return new QueryCache(settings, schemaVersion, clock, refresher, reads);
  }

  private static final Executor BACKGROUND = task -> Thread.ofVirtual().name("cache-refresh").start(task);

  /** A cache that serves nothing: every answer is computed ({@code x-cache: bypass}). */
  public static QueryCache disabled() {
    ServerConfig.CacheSection d = ServerConfig.CacheSection.defaults();
    return new QueryCache(new ServerConfig.CacheSection(false, d.l1MaxBytes(), "", d.ingestDelay(), d.bucketTtl(),
        d.freshTtl(), d.redisTimeout(), d.bucketSteps()), 0, Clock.systemUTC(), BACKGROUND, new ReadActivity());
  }

  public boolean enabled() {
    return l1 != null;
  }

  public ServerConfig.CacheSection settings() {
    return settings;
  }

  public CacheMetrics metrics() {
    return metrics;
  }

  /** True when Redis is configured and its last call succeeded. */
  public boolean redisHealthy() {
    return l2 != null && l2.healthy();
  }

  /** Reports what served a request (the {@code x-cache} response header) and records its latency. */
  void answered(CacheSource source, long startedNanos) {
    CacheHeaders.report(source);
    metrics.answered(source, System.nanoTime() - startedNanos);
  }

  /** True when Redis is configured and connected. */
  boolean redisConnected() {
    return l2 != null && l2.connected();
  }

  /** The key of {@code rpc}'s answer to {@code canonicalRequest} for {@code tenant}. */
  public String key(TenantId tenant, String rpc, byte[] canonicalRequest) {
    MessageDigest sha;
    try {
      // Cloning a prototype skips the provider lookup getInstance does on every call.
      sha = (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("this JVM's SHA-256 cannot be cloned", e);
    }
    sha.update(tenant.tenant().getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(rpc.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(canonicalRequest);
    return namespace + tenant.tenant() + ":" + HexFormat.of().formatHex(sha.digest());
  }

  /** The answer under {@code key} in L1 only (no load, no L2), or null. */
  public <T extends MessageLite> Answer<T> peek(String key, Class<T> type) {
    if (l1 == null) {
      return null;
    }
    Entry e = l1.getIfPresent(key);
    if (e == null) {
      return null;
    }
    metrics.l1Hits.increment();
    return new Answer<>(type.cast(e.value()), CacheSource.HIT_L1);
  }

  /** Stores {@code value} under {@code key} in both levels for {@code ttl}. */
  public void put(String key, MessageLite value, Duration ttl) {
    if (l1 != null) {
      store(key, value, ttl, true);
    }
  }

  /** Stores {@code value} in L1 and, when {@code shared}, in L2. */
  private void store(String key, MessageLite value, Duration ttl, boolean shared) {
    if (l2 == null || !shared) {
      l1.put(key, entry(value, value.getSerializedSize(), ttl, nowNanos()));
      return;
    }
    byte[] bytes = value.toByteArray();
    l1.put(key, entry(value, bytes.length, ttl, nowNanos()));
    l2.put(key, bytes, ttl);
  }

  /**
   * The answer stored under {@code key}, else the one {@code load} computes (stored for {@code ttl} in both
   * levels). Failures of {@code load} reach every caller waiting for it and are not stored.
   */
  public <T extends MessageLite> Answer<T> fetch(String key, Duration ttl, Parser<T> parser, Supplier<T> load) {
    return fetch(key, ttl, parser, load, true);
  }

  /**
   * As {@link #fetch(String, Duration, Parser, Supplier)}; {@code engineLoad} false when {@code load} assembles the
   * answer from other cached parts rather than asking the engine (not counted in {@link CacheMetrics#engineLoads}).
   */
  public <T extends MessageLite> Answer<T> fetch(String key, Duration ttl, Parser<T> parser, Supplier<T> load,
      boolean engineLoad) {
    return fetch(key, ttl, parser, load, engineLoad, null);
  }

  /**
   * As {@link #fetch(String, Duration, Parser, Supplier, boolean)}; a hit on an answer at least {@code refreshAfter}
   * old (null: never) is returned as is and recomputed in the background, once per key at a time.
   */
  public <T extends MessageLite> Answer<T> fetch(String key, Duration ttl, Parser<T> parser, Supplier<T> load,
      boolean engineLoad, Duration refreshAfter) {
    return fetch(key, ttl, parser, load, engineLoad, refreshAfter, true);
  }

  /**
   * As {@link #fetch(String, Duration, Parser, Supplier, boolean, Duration)} for an answer {@code load} assembles
   * from other cached answers, kept in L1 only: each replica assembles it from the parts it holds in less time than
   * a Redis round trip and decompression would take.
   */
  public <T extends MessageLite> Answer<T> fetchAssembled(String key, Duration ttl, Parser<T> parser,
      Supplier<T> load, Duration refreshAfter) {
    return fetch(key, ttl, parser, load, false, refreshAfter, false);
  }

  private <T extends MessageLite> Answer<T> fetch(String key, Duration ttl, Parser<T> parser, Supplier<T> load,
      boolean engineLoad, Duration refreshAfter, boolean shared) {
    if (l1 == null) {
      return new Answer<>(load.get(), CacheSource.BYPASS);
    }
    Entry e = l1.getIfPresent(key);
    if (e != null) {
      metrics.l1Hits.increment();
      refreshIfDue(key, e, ttl, parser, load, engineLoad, refreshAfter, shared);
      @SuppressWarnings("unchecked")
      T value = (T) e.value();
      return new Answer<>(value, CacheSource.HIT_L1);
    }
    metrics.l1Misses.increment();
    CompletableFuture<Answer<?>> mine = new CompletableFuture<>();
    CompletableFuture<Answer<?>> running = inflight.putIfAbsent(key, mine);
    if (running != null) {
      metrics.coalesced.increment();
      if (running instanceof RefreshFuture refresh) {
        refresh.awaited = true;
      }
      try {
        @SuppressWarnings("unchecked")
        Answer<T> joined = (Answer<T>) running.join();
        return joined;
      } catch (CompletionException ex) {
        throw ex.getCause() instanceof RuntimeException r ? r : ex;
      }
    }
    Answer<T> a;
    try {
      a = loadThrough(key, ttl, parser, load, engineLoad, shared);
      mine.complete(a);
    } catch (RuntimeException ex) {
      mine.completeExceptionally(ex);
      throw ex;
    } finally {
      inflight.remove(key, mine);
    }
    if (a.source() == CacheSource.HIT_L2) {
      // Checked once the lookup has left the in-flight map, which the refresh then enters.
      Entry copied = l1.getIfPresent(key);
      if (copied != null) {
        refreshIfDue(key, copied, ttl, parser, load, engineLoad, refreshAfter, shared);
      }
    }
    return a;
  }

  /** Starts one background load of {@code key} when {@code e} is at least {@code refreshAfter} old. */
  private <T extends MessageLite> void refreshIfDue(String key, Entry e, Duration ttl, Parser<T> parser,
      Supplier<T> load, boolean engineLoad, Duration refreshAfter, boolean shared) {
    if (refreshAfter == null || nowNanos() - e.storedAtNanos() < refreshAfter.toNanos() || closed.get()) {
      return;
    }
    RefreshFuture mine = new RefreshFuture();
    if (inflight.putIfAbsent(key, mine) != null) {
      return;
    }
    refreshing.add(mine);
    // Half of what is left of the served answer's life, so it is replaced before it expires.
    long leftNanos = e.storedAtNanos() + e.ttlNanos() - nowNanos();
    Duration maxWait = Duration.ofNanos(Math.max(0, Math.min(REFRESH_MAX_WAIT.toNanos(), leftNanos / 2)));
    Runnable refresh = () -> ScopedValue.where(inRefresh, Boolean.TRUE).run(() -> {
      try {
        reads.awaitQuiet(REFRESH_QUIET, maxWait, () -> mine.awaited || closed.get());
        // Another replica may have refreshed it already: its copy in Redis is taken when not yet due itself.
        Entry copy = l2 == null || !shared ? null : sharedCopy(key, ttl, parser);
        if (copy != null && nowNanos() - copy.storedAtNanos() < refreshAfter.toNanos()) {
          l1.put(key, copy);
          metrics.refreshesShared.increment();
          mine.complete(new Answer<>(copy.value(), CacheSource.HIT_L2));
          return;
        }
        T computed = load.get();
        if (engineLoad) {
          metrics.engineLoads.increment();
        }
        metrics.refreshes.increment();
        store(key, computed, ttl, shared);
        mine.complete(new Answer<>(computed, CacheSource.MISS));
      } catch (RuntimeException ex) {
        // The answer served meanwhile stays valid until it expires; the next lookup after that loads again.
        metrics.refreshFailures.increment();
        mine.completeExceptionally(ex);
      } finally {
        inflight.remove(key, mine);
        refreshing.remove(mine);
      }
    });
    try {
      refresher.execute(refresh);
    } catch (RejectedExecutionException ex) {
      inflight.remove(key, mine);
      refreshing.remove(mine);
      mine.completeExceptionally(ex);
    }
  }

  /**
   * {@code statement} as a load should run it: inside a background refresh (nobody waits for it) on one engine
   * thread, so that requests keep the other cores; unchanged otherwise.
   */
  public Sql paced(Sql statement) {
    return inRefresh.isBound() ? statement.withSetting("max_threads", "1") : statement;
  }

  /**
   * Returns once no background refresh is running, those started by refreshes included. The cache benchmark
   * calls it between dashboard refreshes, as the seconds between them would let the refreshes finish.
   */
  public void awaitRefreshes() {
    while (!refreshing.isEmpty()) {
      CompletableFuture.allOf(refreshing.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
    }
  }

  private <T extends MessageLite> Answer<T> loadThrough(String key, Duration ttl, Parser<T> parser,
      Supplier<T> load, boolean engineLoad, boolean shared) {
    Entry again = l1.getIfPresent(key);
    if (again != null) {
      @SuppressWarnings("unchecked")
      T value = (T) again.value();
      return new Answer<>(value, CacheSource.HIT_L1);
    }
    if (l2 != null && shared) {
      Entry copy = sharedCopy(key, ttl, parser);
      if (copy != null) {
        metrics.l2Hits.increment();
        l1.put(key, copy);
        @SuppressWarnings("unchecked")
        T value = (T) copy.value();
        return new Answer<>(value, CacheSource.HIT_L2);
      }
      metrics.l2Misses.increment();
    }
    T computed = load.get();
    if (engineLoad) {
      metrics.engineLoads.increment();
    }
    store(key, computed, ttl, shared);
    return new Answer<>(computed, CacheSource.MISS);
  }

  /**
   * The answer Redis holds under {@code key} as an L1 entry that expires with it (so no replica serves an answer
   * past its time) and dated when it was computed; null when absent, unreadable or Redis is unavailable.
   */
  private <T extends MessageLite> Entry sharedCopy(String key, Duration ttl, Parser<T> parser) {
    RedisTier.Found shared = l2.get(key).join();
    if (shared == null) {
      return null;
    }
    T value;
    try {
      value = parser.parseFrom(shared.value());
    } catch (com.google.protobuf.InvalidProtocolBufferException corrupt) {
      metrics.l2Errors.increment();
      return null;
    }
    Duration left = Duration.ofMillis(shared.expiresAtMillis() - clock.millis());
    Duration age = left.compareTo(ttl) < 0 ? ttl.minus(left) : Duration.ZERO;
    return entry(value, shared.value().length, left.compareTo(ttl) < 0 ? left : ttl, nowNanos() - age.toNanos());
  }

  private static Entry entry(MessageLite value, int bytes, Duration ttl, long storedAtNanos) {
    return new Entry(value, bytes + ENTRY_OVERHEAD, Math.max(1, ttl.toNanos()), storedAtNanos);
  }

  private long nowNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Drops every L1 entry (tests and benchmarks use it to read from L2). */
  public void clearL1() {
    if (l1 != null) {
      l1.invalidateAll();
    }
  }

  /** Closes the Redis connection; idempotent. */
  @Override
  public void close() {
    if (l2 != null && closed.compareAndSet(false, true)) {
      l2.close();
    }
  }
}
