/** The demo hook back-fills recent history through the real ingest path and stops promptly on shutdown. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.ingest.IngestStats;
import com.kubetelemetry.sql.Sql;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoHookTest {
  @TempDir
  Path dataDir;

  @Test
  void backfillReachesEverySignalAndCloseStopsItEarly() {
    Backend backend = new StorageBackendFactory().open(TestServer.baseConfig(dataDir));
    try {
      DemoHook hook = new DemoHook(new ServerConfig.DemoSection(true, Duration.ofSeconds(1)), backend);
      hook.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!everySignalAccepted(backend.stats()) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      hook.close();
      assertThat(everySignalAccepted(backend.stats())).as("traces, metrics and logs arrived").isTrue();
      long spans = StoredRows.count(backend.store(),
          "SELECT count() FROM otel.otel_traces WHERE TenantId = {key:String}", "default");
      assertThat(spans).isEqualTo(backend.stats().snapshot().getFirst().acceptedItems());
      // 15 minutes of history are 90 batches; closing after the first ones must not wait for the rest.
      long backfilledMinutes = Long.parseLong(backend.store().query(Sql.of(
          "SELECT dateDiff('minute', min(Timestamp), max(Timestamp)) FROM otel.otel_traces"), "TSV").text().strip());
      assertThat(backfilledMinutes).isLessThan(DemoHook.BACKFILL.toMinutes());
    } finally {
      backend.close();
    }
  }

  private static boolean everySignalAccepted(IngestStats stats) {
    return stats.snapshot().stream().allMatch(counts -> counts.acceptedItems() > 0);
  }
}
