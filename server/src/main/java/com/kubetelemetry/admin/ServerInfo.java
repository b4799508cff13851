/** What the server says about itself: build version, storage in use, uptime and ingest counters. */
package com.kubetelemetry.admin;

import com.kubetelemetry.api.v1.GetServerInfoResponse;
import com.kubetelemetry.api.v1.SignalIngestStats;
import com.kubetelemetry.ingest.IngestStats;
import com.kubetelemetry.storage.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Reads its parts on each call, so the answer is always current. */
public final class ServerInfo {
  private final String version;
  private final Store store;
  private final IngestStats stats;
  private final Clock clock;
  private final Instant startedAt;

  public ServerInfo(String version, Store store, IngestStats stats, Clock clock) {
    this.version = version;
    this.store = store;
    this.stats = stats;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  /** The version in the jar manifest, or "dev" when running from classes (tests, IDE). */
  public static String buildVersion() {
    String v = ServerInfo.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public GetServerInfoResponse describe() {
    GetServerInfoResponse.Builder out = GetServerInfoResponse.newBuilder()
        .setVersion(version)
        .setStorage(store.kind())
        .setEngineVersion(store.engineVersion())
        .setUptimeSeconds(Duration.between(startedAt, clock.instant()).toSeconds());
    for (IngestStats.SignalCounts c : stats.snapshot()) {
      out.addIngest(SignalIngestStats.newBuilder()
          .setSignal(c.signal())
          .setAcceptedItems(c.acceptedItems())
          .setRejectedItems(c.rejectedItems())
          .setThrottledRequests(c.throttledRequests())
          .setFailedRequests(c.failedRequests()));
    }
    return out.build();
  }
}
