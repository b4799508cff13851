/** The two-level answer cache: Caffeine in process (L1), Redis shared (L2), one engine load per in-flight key. */
package com.kubetelemetry.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.query.TenantId;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Lookup order L1 -> L2 -> engine; an answer found in L2 is copied to L1, one computed by the engine goes to both.
 * Identical keys looked up while a load is running wait for it instead of loading again (single flight). Keys are
 * {@code kt:v<schemaVersion>:<tenant>:<sha256(tenant, rpc, canonical request)>}, so answers never cross tenants or
 * schema versions. L1 keeps the decoded protobuf answers (weighed by their serialized size), so a hit costs one
 * map lookup; L2 keeps their serialized bytes.
 */
public final class QueryCache implements AutoCloseable {
  /** An answer and the level that served it. */
  public record Answer<T>(T value, CacheSource source) {}

  private record Entry(MessageLite value, int weight, long ttlNanos) {}

  private static final int ENTRY_OVERHEAD = 96;

  private final ServerConfig.CacheSection settings;
  private final String namespace;
  private final CacheMetrics metrics = new CacheMetrics();
  private final Cache<String, Entry> l1;
  private final RedisTier l2;
  private final ConcurrentHashMap<String, CompletableFuture<Answer<?>>> inflight = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Clock clock;

  private QueryCache(ServerConfig.CacheSection settings, int schemaVersion, Clock clock) {
    this.settings = settings;
    this.namespace = "kt:v" + schemaVersion + ":";
    this.clock = clock;
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
        .ticker(() -> {
          Instant now = clock.instant();
          return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        })
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
    return new QueryCache(settings, schemaVersion, Clock.systemUTC());
  }

  /** As {@link #create(ServerConfig.CacheSection, int)}, with expiry measured on {@code clock} (benchmarks). */
  public static QueryCache create(ServerConfig.CacheSection settings, int schemaVersion, Clock clock) {
    return new QueryCache(settings, schemaVersion, clock);
  }

  /** A cache that serves nothing: every answer is computed ({@code x-cache: bypass}). */
  public static QueryCache disabled() {
    ServerConfig.CacheSection d = ServerConfig.CacheSection.defaults();
    return new QueryCache(new ServerConfig.CacheSection(false, d.l1MaxBytes(), "", d.ingestDelay(), d.bucketTtl(),
        d.freshTtl(), d.redisTimeout(), d.bucketSteps()), 0, Clock.systemUTC());
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

  /** The key of {@code rpc}'s answer to {@code canonicalRequest} for {@code tenant}. */
  public String key(TenantId tenant, String rpc, byte[] canonicalRequest) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
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
    if (l1 == null) {
      return;
    }
    byte[] bytes = value.toByteArray();
    l1.put(key, entry(value, bytes.length, ttl));
    if (l2 != null) {
      l2.put(key, bytes, ttl);
    }
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
    if (l1 == null) {
      return new Answer<>(load.get(), CacheSource.BYPASS);
    }
    Entry e = l1.getIfPresent(key);
    if (e != null) {
      metrics.l1Hits.increment();
      @SuppressWarnings("unchecked")
      T value = (T) e.value();
      return new Answer<>(value, CacheSource.HIT_L1);
    }
    metrics.l1Misses.increment();
    CompletableFuture<Answer<?>> mine = new CompletableFuture<>();
    CompletableFuture<Answer<?>> running = inflight.putIfAbsent(key, mine);
    if (running != null) {
      metrics.coalesced.increment();
      try {
        @SuppressWarnings("unchecked")
        Answer<T> shared = (Answer<T>) running.join();
        return shared;
      } catch (CompletionException ex) {
        throw ex.getCause() instanceof RuntimeException r ? r : ex;
      }
    }
    try {
      Answer<T> a = loadThrough(key, ttl, parser, load, engineLoad);
      mine.complete(a);
      return a;
    } catch (RuntimeException ex) {
      mine.completeExceptionally(ex);
      throw ex;
    } finally {
      inflight.remove(key, mine);
    }
  }

  private <T extends MessageLite> Answer<T> loadThrough(String key, Duration ttl, Parser<T> parser,
      Supplier<T> load, boolean engineLoad) {
    Entry again = l1.getIfPresent(key);
    if (again != null) {
      @SuppressWarnings("unchecked")
      T value = (T) again.value();
      return new Answer<>(value, CacheSource.HIT_L1);
    }
    if (l2 != null) {
      RedisTier.Found shared = l2.get(key).join();
      if (shared != null) {
        try {
          T value = parser.parseFrom(shared.value());
          metrics.l2Hits.increment();
          // The copy in L1 expires with the one in L2, so no replica serves an answer past its time.
          Duration left = Duration.ofMillis(shared.expiresAtMillis() - clock.millis());
          l1.put(key, entry(value, shared.value().length, left.compareTo(ttl) < 0 ? left : ttl));
          return new Answer<>(value, CacheSource.HIT_L2);
        } catch (com.google.protobuf.InvalidProtocolBufferException corrupt) {
          metrics.l2Errors.increment();
        }
      } else {
        metrics.l2Misses.increment();
      }
    }
    T computed = load.get();
    if (engineLoad) {
      metrics.engineLoads.increment();
    }
    put(key, computed, ttl);
    return new Answer<>(computed, CacheSource.MISS);
  }

  private static Entry entry(MessageLite value, int bytes, Duration ttl) {
    return new Entry(value, bytes + ENTRY_OVERHEAD, Math.max(1, ttl.toNanos()));
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
