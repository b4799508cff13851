/** The shared second cache level: Redis through Lettuce (async, pipelined on one connection), with a time budget. */
package com.kubetelemetry.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every call completes within {@code timeout}: a failure, a timeout or no connection reads as a miss (or a dropped
 * write), is counted, and is logged once per episode (the first failure, then the recovery). Commands are rejected
 * at once while disconnected; Lettuce reconnects by itself, and a first connection that failed is retried at most
 * once a second. Values are compressed by {@link CacheValues} and carry their expiry on the server's clock, so a
 * value Redis still holds is not served past its time (and replicas agree on it). Episodes are logged at most
 * once a minute, so a flapping Redis does not flood the log.
 */
final class RedisTier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisTier.class);
  private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final ClientResources resources;
  private final RedisClient client;
  private final RedisURI uri;
  private final Duration timeout;
  private final CacheMetrics metrics;
  private final AtomicReference<CompletableFuture<StatefulRedisConnection<byte[], byte[]>>> connection =
      new AtomicReference<>();
  private final AtomicLong lastConnectAttempt = new AtomicLong();
  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  private final Clock clock;

  RedisTier(String url, Duration timeout, CacheMetrics metrics, Clock clock) {
    try {
      this.uri = RedisURI.create(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cache.redisUrl is not a Redis URL (" + e.getMessage()
          + "): use redis://host:port", e);
    }
    this.timeout = timeout;
    this.metrics = metrics;
    this.clock = clock;
    // Reconnect attempts back off to at most 2 s (Lettuce's default grows to 30 s), so recovery is quick.
    this.resources = DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build());
    connect();
  }

  private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connect() {
    lastConnectAttempt.set(System.nanoTime());
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> f =
        client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
    connection.set(f);
    f.whenComplete((c, e) -> {
      if (e != null) {
        failed(e);
      }
    });
    return f;
  }

  /** The connection when established; null (and maybe a new attempt started) when not. */
  private StatefulRedisConnection<byte[], byte[]> connection() {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> f = connection.get();
    if (f.isDone() && !f.isCompletedExceptionally()) {
      return f.join();
    }
    if (f.isCompletedExceptionally() && System.nanoTime() - lastConnectAttempt.get() > RECONNECT_NANOS) {
      CompletableFuture<StatefulRedisConnection<byte[], byte[]>> again = f;
      if (connection.get() == again) {
        connect();
      }
    }
    return null;
  }

  /** True once a connection is established (until then lookups skip Redis rather than wait for it). */
  boolean connected() {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> f = connection.get();
    return f.isDone() && !f.isCompletedExceptionally() && f.join().isOpen();
  }

  /** A value read from Redis and when it expires (epoch millis on the server's clock). */
  record Found(byte[] value, long expiresAtMillis) {}

  /** The stored value, or null on a miss, an error or a timeout. */
  CompletableFuture<Found> get(String key) {
    StatefulRedisConnection<byte[], byte[]> c = connection();
    if (c == null) {
      metrics.l2Errors.increment();
      return CompletableFuture.completedFuture(null);
    }
    return c.async().get(key.getBytes(StandardCharsets.UTF_8)).toCompletableFuture()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .handle((value, e) -> {
          if (e != null) {
            failed(e);
            return null;
          }
          succeeded();
          if (value == null) {
            return null;
          }
          metrics.l2BytesRead.add(value.length);
          long expiresAt = value.length < Long.BYTES ? 0 : ByteBuffer.wrap(value).getLong();
          if (expiresAt <= clock.millis()) {
            return null;
          }
          byte[] unpacked = CacheValues.unpack(Arrays.copyOfRange(value, Long.BYTES, value.length));
          return unpacked == null ? null : new Found(unpacked, expiresAt);
        });
  }

  /** Stores {@code value} for {@code ttl}; never waits, failures are counted. */
  void put(String key, byte[] value, Duration ttl) {
    StatefulRedisConnection<byte[], byte[]> c = connection();
    if (c == null) {
      metrics.l2Errors.increment();
      return;
    }
    byte[] body = CacheValues.pack(value);
    byte[] packed = ByteBuffer.allocate(Long.BYTES + body.length).putLong(clock.millis() + ttl.toMillis())
        .put(body).array();
    c.async().set(key.getBytes(StandardCharsets.UTF_8), packed, SetArgs.Builder.px(Math.max(1, ttl.toMillis())))
        .toCompletableFuture()
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .whenComplete((ok, e) -> {
          if (e != null) {
            failed(e);
          } else {
            metrics.l2BytesWritten.add(packed.length);
            succeeded();
          }
        });
  }

  private void failed(Throwable e) {
    metrics.l2Errors.increment();
    if (healthy.compareAndSet(true, false) && quietLongEnough()) {
      failureLogged.set(true);
      LOG.warn("redis cache at {}:{} is unavailable ({}); answering from L1 and the engine until it is back",
          uri.getHost(), uri.getPort(), e.getClass().getSimpleName());
    }
  }

  private void succeeded() {
    if (healthy.compareAndSet(false, true) && failureLogged.compareAndSet(true, false)) {
      LOG.info("redis cache at {}:{} is available again", uri.getHost(), uri.getPort());
    }
  }

  private boolean quietLongEnough() {
    long last = lastLogged.get();
    long now = System.nanoTime();
    return now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now);
  }

  /** True unless the last call failed. */
  boolean healthy() {
    return healthy.get();
  }

  @Override
  public void close() {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> f = connection.get();
    if (f != null && f.isDone() && !f.isCompletedExceptionally()) {
      f.join().close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
