/** docker-compose.yml at the repository root: valid YAML, health checks, and a server environment the config accepts. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.config.ConfigLoader;
import com.kubetelemetry.config.ServerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** No Docker engine runs here: this checks what can be checked without one. */
class DeploymentFilesTest {
  private static final Path ROOT = Path.of("..");

  @Test
  @SuppressWarnings("unchecked")
  void composeRunsClickHouseRedisAndTheServerOnTheRemoteStoreWithHealthChecks() throws IOException {
    Map<String, Object> compose;
    try (Reader reader = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
      compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    }
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    assertThat(services).containsOnlyKeys("clickhouse", "redis", "server");
    assertThat(services.values()).allSatisfy(s -> assertThat(s).containsKey("healthcheck"));
    assertThat((String) services.get("clickhouse").get("image")).matches("clickhouse/clickhouse-server:2[56]\\.\\d+.*");
    assertThat((String) services.get("redis").get("image")).matches("redis:\\d+\\.\\d+.*");
    assertThat(services.get("server").get("healthcheck").toString()).contains("/readyz");
    assertThat(services.get("clickhouse").get("healthcheck").toString()).contains("/ping");

    Map<String, String> environment = new LinkedHashMap<>();
    ((Map<String, Object>) services.get("server").get("environment"))
        .forEach((k, v) -> environment.put(k, String.valueOf(v)));
    ServerConfig config = ConfigLoader.load(Optional.empty(), false, environment, Map.of("user.home", "/tmp"));
    assertThat(config.storage().embedded()).isFalse();
    assertThat(config.storage().url()).startsWith("jdbc:clickhouse://clickhouse:8123/");
    assertThat(config.storage().database()).isEqualTo("otel");
    assertThat(Files.readString(ROOT.resolve("Dockerfile"))).contains("FROM eclipse-temurin:25-jre")
        .contains("server-0.1.0-SNAPSHOT-all.jar");
  }
}
