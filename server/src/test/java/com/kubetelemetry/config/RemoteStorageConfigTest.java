/** The remote-store and cluster settings of the storage section: defaults, environment and refusals. */
package com.kubetelemetry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteStorageConfigTest {
  private static ServerConfig.StorageSection load(Map<String, String> environment) {
    return ConfigLoader.load(Optional.empty(), false, environment, Map.of("user.home", "/tmp")).storage();
  }

  @Test
  void defaultsFailFastAndRetryReadsTwice() {
    ServerConfig.StorageSection storage = load(Map.of());
    assertThat(storage.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(storage.validationTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(storage.readRetries()).isEqualTo(2);
    assertThat(storage.retryBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(storage.cluster()).isEmpty();
  }

  @Test
  void environmentSelectsARemoteClusterWithItsPool() {
    ServerConfig.StorageSection storage = load(Map.of(
        "TELEMETRY_CLICKHOUSE_URL", "jdbc:clickhouse://ch:8123/default?user=u",
        "TELEMETRY_STORAGE_POOL_SIZE", "16", "TELEMETRY_STORAGE_CONNECTION_TIMEOUT", "500ms",
        "TELEMETRY_STORAGE_READ_RETRIES", "0", "TELEMETRY_STORAGE_CLUSTER", "telemetry"));
    assertThat(storage.embedded()).isFalse();
    assertThat(storage.url()).isEqualTo("jdbc:clickhouse://ch:8123/default?user=u");
    assertThat(storage.poolSize()).isEqualTo(16);
    assertThat(storage.connectionTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(storage.readRetries()).isZero();
    assertThat(storage.cluster()).isEqualTo("telemetry");
    // The four-argument form keeps the remote settings at their defaults.
    assertThat(new ServerConfig.StorageSection("embedded:x", storage.chdbLibrary(), "otel", 1).retryBackoff())
        .isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void refusesTimeoutsBelowThePoolMinimumAndOddClusterNames() {
    assertThatThrownBy(() -> load(Map.of("TELEMETRY_STORAGE_CONNECTION_TIMEOUT", "100ms")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.connectionTimeout")
        .hasMessageContaining("250ms");
    assertThatThrownBy(() -> load(Map.of("TELEMETRY_STORAGE_CLUSTER", "a b")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.cluster");
    assertThatThrownBy(() -> load(Map.of("TELEMETRY_STORAGE_READ_RETRIES", "11")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("storage.readRetries");
  }
}
