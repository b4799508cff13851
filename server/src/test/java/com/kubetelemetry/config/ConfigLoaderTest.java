/** Loading the server configuration: defaults, YAML, environment overrides and every kind of error. */
package com.kubetelemetry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Map<String, String> PROPS = Map.of("user.home", "/home/someone");

  @TempDir Path dir;

  private ServerConfig load(String yaml, Map<String, String> env) throws IOException {
    Optional<Path> file = Optional.empty();
    if (yaml != null) {
      Path p = dir.resolve("config.yaml");
      Files.writeString(p, yaml);
      file = Optional.of(p);
    }
    return ConfigLoader.load(file, false, env, PROPS);
  }

  @Test
  void defaultsNeedNoSetting() throws IOException {
    ServerConfig c = load(null, Map.of());
    assertThat(c.server().host()).isEqualTo("0.0.0.0");
    assertThat(c.server().port()).isEqualTo(8080);
    assertThat(c.server().otlpGrpcPort()).isEqualTo(4317);
    assertThat(c.server().otlpHttpPort()).isEqualTo(4318);
    assertThat(c.server().shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.server().corsAllowedOrigins()).isEmpty();
    assertThat(c.server().logFormat()).isEqualTo(ServerConfig.LogFormat.JSON);
    assertThat(c.storage().url()).isEqualTo("embedded:./data");
    assertThat(c.storage().embedded()).isTrue();
    assertThat(c.storage().embeddedDataDirectory()).isEqualTo(Path.of("./data"));
    assertThat(c.storage().chdbLibrary()).isEqualTo(Path.of("/home/someone", ConfigLoader.CACHED_CHDB));
    assertThat(c.storage().database()).isEqualTo("otel");
    assertThat(c.storage().poolSize()).isEqualTo(4);
    assertThat(c.retention()).isEqualTo(new ServerConfig.RetentionSection(7, 7, 30));
    assertThat(c.ingest()).isEqualTo(new ServerConfig.IngestSection(16L << 20, 16384, 64L << 20, 100000,
        Duration.ofMillis(100)));
    assertThat(c.auth()).isEqualTo(new ServerConfig.AuthSection(false, "default"));
    assertThat(c.demo()).isEqualTo(new ServerConfig.DemoSection(false, Duration.ofSeconds(1)));
  }

  @Test
  void yamlFileSetsValuesOfEveryKind() throws IOException {
    ServerConfig c = load("""
        server:
          port: 9090
          otlpGrpcPort: -1
          shutdownGracePeriod: 250ms
          corsAllowedOrigins: [http://localhost:5173, https://ui.example]
          logFormat: text
        storage:
          url: jdbc:clickhouse://ch:8123/otel
          poolSize: 8
        retention:
          tracesDays: 0
        ingest:
          bufferBytes: 1GiB
          maxMessageBytes: 4194304
          flushInterval: 2s
        auth:
          defaultTenant: acme
        demo:
          enabled: true
          interval: 5m
        """, Map.of());
    assertThat(c.server().port()).isEqualTo(9090);
    assertThat(c.server().otlpGrpcPort()).isEqualTo(ServerConfig.DISABLED_PORT);
    assertThat(c.server().shutdownGracePeriod()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.server().corsAllowedOrigins()).containsExactly("http://localhost:5173", "https://ui.example");
    assertThat(c.server().logFormat()).isEqualTo(ServerConfig.LogFormat.TEXT);
    assertThat(c.storage().url()).isEqualTo("jdbc:clickhouse://ch:8123/otel");
    assertThat(c.storage().embedded()).isFalse();
    assertThat(c.storage().poolSize()).isEqualTo(8);
    assertThat(c.retention().tracesDays()).isZero();
    assertThat(c.ingest().bufferBytes()).isEqualTo(1L << 30);
    assertThat(c.ingest().maxMessageBytes()).isEqualTo(4L << 20);
    assertThat(c.ingest().flushInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.auth().defaultTenant()).isEqualTo("acme");
    assertThat(c.demo()).isEqualTo(new ServerConfig.DemoSection(true, Duration.ofMinutes(5)));
  }

  @Test
  void environmentOverridesYaml() throws IOException {
    ServerConfig c = load("ingest:\n  bufferBytes: 128MiB\nserver:\n  port: 9000\n", Map.of(
        "TELEMETRY_INGEST_BUFFER_BYTES", "256MiB",
        "TELEMETRY_SERVER_OTLP_HTTP_PORT", "0",
        "TELEMETRY_SERVER_CORS_ALLOWED_ORIGINS", "http://a.example, http://b.example",
        "TELEMETRY_AUTH_ENABLED", "true",
        "TELEMETRY_CLICKHOUSE_URL", "http://ch:8123",
        "TELEMETRY_SERVICE_HOST", "10.0.0.1",
        "PATH", "/usr/bin"));
    assertThat(c.ingest().bufferBytes()).isEqualTo(256L << 20);
    assertThat(c.server().port()).isEqualTo(9000);
    assertThat(c.server().otlpHttpPort()).isZero();
    assertThat(c.server().corsAllowedOrigins()).containsExactly("http://a.example", "http://b.example");
    assertThat(c.auth().enabled()).isTrue();
    assertThat(c.storage().url()).isEqualTo("http://ch:8123");
  }

  @Test
  void demoFlagEnablesDemo() {
    ServerConfig c = ConfigLoader.load(Optional.empty(), true, Map.of(), PROPS);
    assertThat(c.demo().enabled()).isTrue();
  }

  @Test
  void chdbLibraryResolution() throws IOException {
    assertThat(ConfigLoader.load(Optional.empty(), false, Map.of("CHDB_LIB", "/env/libchdb.so"), PROPS)
        .storage().chdbLibrary()).isEqualTo(Path.of("/env/libchdb.so"));
    assertThat(ConfigLoader.load(Optional.empty(), false, Map.of("CHDB_LIB", "/env/libchdb.so"),
        Map.of("chdb.lib", "/prop/libchdb.so")).storage().chdbLibrary()).isEqualTo(Path.of("/prop/libchdb.so"));
    assertThat(load("storage:\n  chdbLibrary: /cfg/libchdb.so\n", Map.of("CHDB_LIB", "/env/libchdb.so"))
        .storage().chdbLibrary()).isEqualTo(Path.of("/cfg/libchdb.so"));
  }

  @Test
  void sizesAndDurationsInTheirForms() throws IOException {
    assertThat(load(null, Map.of("TELEMETRY_INGEST_BUFFER_BYTES", "33554432")).ingest().bufferBytes())
        .isEqualTo(32L << 20);
    assertThat(load(null, Map.of("TELEMETRY_INGEST_BUFFER_BYTES", "512MiB")).ingest().bufferBytes())
        .isEqualTo(512L << 20);
    assertThat(load(null, Map.of("TELEMETRY_INGEST_FLUSH_INTERVAL", "200ms")).ingest().flushInterval())
        .isEqualTo(Duration.ofMillis(200));
  }

  private void assertFails(String yaml, Map<String, String> env, String... messageParts) {
    assertThatThrownBy(() -> load(yaml, env)).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
  }

  @Test
  void badSizeNamesTheSetting() {
    assertFails(null, Map.of("TELEMETRY_INGEST_BUFFER_BYTES", "abc"),
        "ingest.bufferBytes: expected a positive size like 64MiB, got 'abc'", "TELEMETRY_INGEST_BUFFER_BYTES");
    assertFails("ingest:\n  bufferBytes: -5\n", Map.of(), "ingest.bufferBytes: expected a positive size");
    assertFails("ingest:\n  maxMessageBytes: 3GiB\n", Map.of(), "ingest.maxMessageBytes", "up to");
  }

  @Test
  void querySectionReadsLimitsFromYamlAndEnvironment() {
    ServerConfig c = ConfigLoader.load(Optional.empty(), false, Map.of("TELEMETRY_QUERY_MAX_ROWS_TO_READ",
        "5000000000", "TELEMETRY_QUERY_MAX_TIME_RANGE", "7d"), Map.of());
    assertThat(c.query().maxRowsToRead()).isEqualTo(5_000_000_000L);
    assertThat(c.query().maxTimeRange()).isEqualTo(java.time.Duration.ofDays(7));
    assertThat(c.query().defaultTimeRange()).isEqualTo(java.time.Duration.ofHours(1));
    assertThat(c.query().maxSeries()).isEqualTo(1000);
    assertFails(null, Map.of("TELEMETRY_QUERY_MAX_TIME_RANGE", "30m"), "query.maxTimeRange: must be at least");
    assertFails(null, Map.of("TELEMETRY_QUERY_MAX_EXECUTION_TIME", "500ms"), "query.maxExecutionTime");
    assertFails("query:\n  maxResultRows: 0\n", Map.of(), "query.maxResultRows");
  }

  @Test
  void badDuration() {
    assertFails("server:\n  shutdownGracePeriod: 10\n", Map.of(),
        "server.shutdownGracePeriod: expected a duration like 200ms or 30s, got '10'");
    assertFails(null, Map.of("TELEMETRY_INGEST_FLUSH_INTERVAL", "0s"), "ingest.flushInterval: expected a positive");
    assertFails(null, Map.of("TELEMETRY_DEMO_INTERVAL", "soon"), "demo.interval");
  }

  @Test
  void wrongTypeAndOutOfRange() {
    assertFails("server:\n  port: eighty\n", Map.of(), "server.port: expected a port 0..65535", "got 'eighty'");
    assertFails(null, Map.of("TELEMETRY_SERVER_PORT", "70000"), "server.port", "got '70000'");
    assertFails(null, Map.of("TELEMETRY_SERVER_PORT", "-1"), "server.port");
    assertFails(null, Map.of("TELEMETRY_SERVER_OTLP_GRPC_PORT", "-2"), "server.otlpGrpcPort");
    assertFails("storage:\n  poolSize: 0\n", Map.of(), "storage.poolSize: expected a whole number in 1..64");
    assertFails("retention:\n  logsDays: [1]\n", Map.of(), "retention.logsDays");
    assertFails("auth:\n  enabled: maybe\n", Map.of(), "auth.enabled: expected true or false, got 'maybe'");
    assertFails("server:\n  logFormat: xml\n", Map.of(), "server.logFormat: expected one of json, text");
    assertFails("server:\n  corsAllowedOrigins: 5\n", Map.of(), "server.corsAllowedOrigins");
    assertFails("auth:\n  defaultTenant: ''\n", Map.of(), "auth.defaultTenant: expected a non-empty text");
    assertFails("storage:\n  database: 'otel; DROP'\n", Map.of(), "storage.database: expected a plain identifier");
    assertFails(null, Map.of("TELEMETRY_CLICKHOUSE_URL", "mysql://x"), "storage.url: expected embedded:",
        "TELEMETRY_CLICKHOUSE_URL");
    assertFails(null, Map.of("TELEMETRY_CLICKHOUSE_URL", "http://a:8123", "TELEMETRY_STORAGE_URL", "http://b:8123"),
        "set only one");
    assertFails("ingest:\n  bufferBytes: 1MiB\n", Map.of(), "ingest.bufferBytes: must be at least");
    assertFails("server:\n  host:\n", Map.of(), "server.host: has no value");
  }

  @Test
  void unknownKeysFail() {
    assertFails("server:\n  prot: 1\n", Map.of(), "server.prot: unknown setting", "port, otlpGrpcPort");
    assertFails("cache:\n  size: 1\n", Map.of(), "cache.size: unknown setting", "l1MaxBytes, redisUrl");
    assertFails("caches:\n  size: 1\n", Map.of(), "caches: unknown section", "server, storage");
    assertFails(null, Map.of("TELEMETRY_INGEST_BUFER_BYTES", "1"), "TELEMETRY_INGEST_BUFER_BYTES: unknown setting",
        "TELEMETRY_INGEST_BUFFER_BYTES");
  }

  @Test
  void unreadableOrMalformedFile() {
    assertFails("server: [unclosed\n", Map.of(), "is not valid YAML");
    assertFails("- a\n- b\n", Map.of(), "expected a mapping of sections");
    assertFails("server: 5\n", Map.of(), "server: expected a mapping of settings");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("missing.yaml")), false, Map.of(), PROPS))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read config file");
  }

  @Test
  void environmentNamesAreUpperSnakeOfCamelCase() {
    assertThat(ConfigLoader.upperSnake("maxAttributeValueLength")).isEqualTo("MAX_ATTRIBUTE_VALUE_LENGTH");
    assertThat(ConfigLoader.upperSnake("otlpGrpcPort")).isEqualTo("OTLP_GRPC_PORT");
    assertThat(List.of(ConfigLoader.upperSnake("ingest"))).containsExactly("INGEST");
  }

  @Test
  void cacheSectionDefaultsYamlAndRedisUrlVariable() throws IOException {
    assertThat(load(null, Map.of()).cache()).isEqualTo(ServerConfig.CacheSection.defaults());
    ServerConfig c = load("""
        cache:
          l1MaxBytes: 32MiB
          ingestDelay: 1m
          bucketTtl: 2h
          freshTtl: 0s
          redisTimeout: 20ms
          bucketSteps: 12
        """, Map.of("TELEMETRY_REDIS_URL", "redis://cache:6379"));
    assertThat(c.cache()).isEqualTo(new ServerConfig.CacheSection(true, 32L << 20, "redis://cache:6379",
        Duration.ofMinutes(1), Duration.ofHours(2), Duration.ZERO, Duration.ofMillis(20), 12));
    assertThat(load(null, Map.of("TELEMETRY_CACHE_ENABLED", "false")).cache().enabled()).isFalse();
    assertThatThrownBy(() -> load(null, Map.of("TELEMETRY_REDIS_URL", "cache:6379")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cache.redisUrl: expected redis://");
    assertThatThrownBy(() -> load("cache:\n  bucketSteps: 0\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cache.bucketSteps");
  }
}
