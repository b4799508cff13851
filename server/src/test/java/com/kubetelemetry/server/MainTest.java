/** Start-up through Main: backend from the factory, server listening, start-up line, shutdown closes the backend. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.sql.Sql;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpStatus;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class MainTest {
  @Test
  void runStartsAndShutdownClosesTheBackend(@TempDir Path dir) {
    ServerConfig config = TestServer.baseConfig(dir);
    AtomicReference<RecordingBackend> opened = new AtomicReference<>();
    Main.Running running = Main.run(config, c -> {
      opened.set(new RecordingBackend(c));
      return opened.get();
    }, LoggerFactory.getLogger(MainTest.class));
    try {
      assertThat(running.server().port()).isPositive();
      assertThat(WebClient.of("http://127.0.0.1:" + running.server().port()).get("/healthz").aggregate().join()
          .status()).isEqualTo(HttpStatus.OK);
    } finally {
      running.shutdown().run();
    }
    assertThat(opened.get().ingest().events()).containsExactly("backend closed");
    assertThat(opened.get().store().isHealthy()).isFalse();
  }

  @Test
  void failedServerStartClosesTheBackend(@TempDir Path dir) {
    ServerConfig base = TestServer.baseConfig(dir);
    ServerConfig config = base.withAuth(new ServerConfig.AuthSection(true, "default"));
    AtomicReference<RecordingBackend> opened = new AtomicReference<>();
    assertThatThrownBy(() -> Main.run(config, c -> {
      opened.set(new RecordingBackend(c));
      return opened.get();
    }, LoggerFactory.getLogger(MainTest.class))).hasMessageContaining("auth is not implemented yet");
    assertThat(opened.get().ingest().events()).containsExactly("backend closed");
  }

  @Test
  void productionFactoryOpensTheStoreWithTheSchemaAndClosesIt(@TempDir Path dir) {
    Backend backend = new StorageBackendFactory().open(TestServer.baseConfig(dir));
    try {
      assertThat(backend.store().query(Sql.of("SELECT count() FROM system.tables WHERE database = 'otel'"
          + " AND name LIKE 'otel_%'"), "TSV").text().strip()).isEqualTo("14"); // 9 + 2 rollups and 3 views
    } finally {
      backend.close();
    }
    assertThat(backend.store().isHealthy()).isFalse();
  }

  @Test
  void productionFactoryRefusesWhatItCannotOpenWithAClearMessage(@TempDir Path dir) {
    ServerConfig base = TestServer.baseConfig(dir);
    ServerConfig.StorageSection s = base.storage();
    assertThatThrownBy(() -> new StorageBackendFactory().open(base.withStorage(new ServerConfig.StorageSection(
        "jdbc:clickhouse://127.0.0.1:1/otel", s.chdbLibrary(), s.database(), s.poolSize()))))
        .hasMessageContaining("cannot use the ClickHouse server at 127.0.0.1:1")
        .hasMessageContaining("TELEMETRY_CLICKHOUSE_URL");
    assertThatThrownBy(() -> new StorageBackendFactory().open(base.withStorage(new ServerConfig.StorageSection(
        s.url(), dir.resolve("missing/libchdb.so"), s.database(), s.poolSize()))))
        .hasMessageContaining("libchdb.so not found").hasMessageContaining("make chdb");
  }
}
