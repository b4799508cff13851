/** Builds the {@link ServerConfig}: defaults, then an optional YAML file, then TELEMETRY_* environment variables. */
package com.kubetelemetry.config;

import com.kubetelemetry.config.SettingValues.Parser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Every setting is named {@code section.key} (camelCase key); its environment variable is {@code TELEMETRY_} plus
 * the upper snake case of both ({@code ingest.bufferBytes} -> {@code TELEMETRY_INGEST_BUFFER_BYTES}).
 * {@code TELEMETRY_CLICKHOUSE_URL} is another name for {@code storage.url}. Environment variables whose name starts
 * with a known section but names no setting are errors; other {@code TELEMETRY_*} variables are left alone.
 * This class is the only place the server reads the process environment.
 */
public final class ConfigLoader {
  /** Environment variable naming storage.url, as in the deployment docs. */
  public static final String CLICKHOUSE_URL_ENV = "TELEMETRY_CLICKHOUSE_URL";
  /** Short name for {@code cache.redisUrl} (TELEMETRY_CACHE_REDIS_URL works too). */
  public static final String REDIS_URL_ENV = "TELEMETRY_REDIS_URL";
  /** Where {@code make chdb} caches libchdb.so, relative to the user's home. */
  static final String CACHED_CHDB = ".cache/kube-telemetry/chdb/26.5.3/libchdb.so";

  private record Setting(String section, String key, Object defaultValue, Parser parser) {
    String path() {
      return section + "." + key;
    }

    String envName() {
      return "TELEMETRY_" + upperSnake(section) + "_" + upperSnake(key);
    }
  }

  private static final List<Setting> SETTINGS = List.of(
      new Setting("server", "host", "0.0.0.0", SettingValues.text(false)),
      new Setting("server", "port", 8080, SettingValues.port(false)),
      new Setting("server", "otlpGrpcPort", 4317, SettingValues.port(true)),
      new Setting("server", "otlpHttpPort", 4318, SettingValues.port(true)),
      new Setting("server", "shutdownGracePeriod", "10s", SettingValues.duration(true)),
      new Setting("server", "corsAllowedOrigins", List.of(), SettingValues.textList()),
      new Setting("server", "logFormat", "json", SettingValues.oneOf(List.of("json", "text"))),
      new Setting("server", "webUiDirectory", "", SettingValues.text(true)),
      new Setting("storage", "url", "embedded:./data", SettingValues.storageUrl()),
      new Setting("storage", "chdbLibrary", "", SettingValues.text(true)),
      new Setting("storage", "database", "otel", SettingValues.text(false)),
      new Setting("storage", "poolSize", 4, SettingValues.integer(1, 64)),
      new Setting("storage", "connectionTimeout", "2s", SettingValues.duration(false)),
      new Setting("storage", "validationTimeout", "1s", SettingValues.duration(false)),
      new Setting("storage", "readRetries", 2, SettingValues.integer(0, 10)),
      new Setting("storage", "retryBackoff", "100ms", SettingValues.duration(true)),
      new Setting("storage", "cluster", "", SettingValues.text(true)),
      new Setting("retention", "tracesDays", 7, SettingValues.integer(0, 36500)),
      new Setting("retention", "logsDays", 7, SettingValues.integer(0, 36500)),
      new Setting("retention", "metricsDays", 30, SettingValues.integer(0, 36500)),
      new Setting("ingest", "maxMessageBytes", "16MiB", SettingValues.size(Integer.MAX_VALUE - 1024)),
      new Setting("ingest", "maxAttributeValueLength", 16384, SettingValues.integer(1, Integer.MAX_VALUE)),
      new Setting("ingest", "bufferBytes", "64MiB", SettingValues.size(Long.MAX_VALUE)),
      new Setting("ingest", "maxBatchRows", 100000, SettingValues.integer(1, Integer.MAX_VALUE)),
      new Setting("ingest", "flushInterval", "100ms", SettingValues.duration(false)),
      new Setting("query", "defaultTimeRange", "1h", SettingValues.duration(false)),
      new Setting("query", "maxTimeRange", "31d", SettingValues.duration(false)),
      new Setting("query", "maxExecutionTime", "30s", SettingValues.duration(false)),
      new Setting("query", "maxRowsToRead", 1_000_000_000L, SettingValues.count(1, Long.MAX_VALUE)),
      new Setting("query", "maxResultRows", 100_000L, SettingValues.count(1, Long.MAX_VALUE)),
      new Setting("query", "maxSeries", 1000, SettingValues.integer(1, 1_000_000)),
      new Setting("query", "maxPoints", 100_000, SettingValues.integer(1, 10_000_000)),
      new Setting("auth", "enabled", false, SettingValues.bool()),
      new Setting("auth", "defaultTenant", "default", SettingValues.text(false)),
      new Setting("demo", "enabled", false, SettingValues.bool()),
      new Setting("demo", "interval", "1s", SettingValues.duration(false)),
      new Setting("kubernetes", "enabled", "auto", raw -> SettingValues.oneOf(List.of("auto", "true", "false"))
          .parse(raw instanceof Boolean b ? b.toString() : raw)),
      new Setting("kubernetes", "kubeconfig", "", SettingValues.text(true)),
      new Setting("kubernetes", "kinds", List.of("customresources", "pods", "deployments", "statefulsets",
          "daemonsets", "nodes", "services", "events"), SettingValues.textList()),
      new Setting("kubernetes", "resync", "10m", SettingValues.duration(true)),
      new Setting("kubernetes", "clusterName", "", SettingValues.text(true)),
      new Setting("kubernetes", "tenant", "default", SettingValues.text(false)),
      new Setting("cache", "enabled", true, SettingValues.bool()),
      new Setting("cache", "l1MaxBytes", "256MiB", SettingValues.size(Long.MAX_VALUE)),
      new Setting("cache", "redisUrl", "", SettingValues.text(true)),
      new Setting("cache", "ingestDelay", "30s", SettingValues.duration(true)),
      new Setting("cache", "bucketTtl", "6h", SettingValues.duration(false)),
      new Setting("cache", "freshTtl", "30s", SettingValues.duration(true)),
      new Setting("cache", "redisTimeout", "50ms", SettingValues.duration(false)),
      new Setting("cache", "bucketSteps", 30, SettingValues.integer(1, 100_000)));

  private ConfigLoader() {}

  /** Loads from this process: its environment and system properties. */
  public static ServerConfig loadFromProcess(Optional<Path> file, boolean demoFlag) {
    Map<String, String> properties = new TreeMap<>();
    System.getProperties().forEach((k, v) -> properties.put(k.toString(), v.toString()));
    return load(file, demoFlag, System.getenv(), properties);
  }

  /** Defaults only, with the chDB library resolved from this process's system property or environment. */
  public static ServerConfig defaults() {
    return loadFromProcess(Optional.empty(), false);
  }

  /**
   * Loads with explicit inputs (what tests use).
   *
   * @param file optional YAML file; every setting in it must be known
   * @param demoFlag the {@code --demo} flag: sets demo.enabled
   * @param environment environment variables
   * @param systemProperties system properties (for {@code chdb.lib} and {@code user.home})
   * @throws ConfigException naming the setting that was unknown or invalid
   */
  public static ServerConfig load(Optional<Path> file, boolean demoFlag, Map<String, String> environment,
      Map<String, String> systemProperties) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Setting s : SETTINGS) {
      values.put(s.path(), s.parser().parse(s.defaultValue()));
    }
    if (file.isPresent()) {
      applyYaml(file.get(), values);
    }
    applyEnvironment(environment, values);
    if (demoFlag) {
      values.put("demo.enabled", true);
    }
    return build(values, environment, systemProperties);
  }

  private static void applyYaml(Path file, Map<String, Object> values) {
    Object root;
    try (Reader reader = Files.newBufferedReader(file)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    } catch (YAMLException e) {
      throw new ConfigException("config file " + file + " is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null) {
      return;
    }
    if (!(root instanceof Map<?, ?> sections)) {
      throw new ConfigException("config file " + file + ": expected a mapping of sections (server, storage, ...)");
    }
    for (Map.Entry<?, ?> section : sections.entrySet()) {
      String sectionName = String.valueOf(section.getKey());
      if (SETTINGS.stream().noneMatch(s -> s.section().equals(sectionName))) {
        throw new ConfigException(sectionName + ": unknown section in " + file + "; known sections: " + sectionNames());
      }
      if (section.getValue() == null) {
        continue;
      }
      if (!(section.getValue() instanceof Map<?, ?> keys)) {
        throw new ConfigException(sectionName + ": expected a mapping of settings in " + file);
      }
      for (Map.Entry<?, ?> entry : keys.entrySet()) {
        String path = sectionName + "." + entry.getKey();
        Setting setting = find(path).orElseThrow(() -> new ConfigException(
            path + ": unknown setting in " + file + "; known settings in " + sectionName + ": " + keysOf(sectionName)));
        if (entry.getValue() == null) {
          throw new ConfigException(path + ": has no value in " + file + "; remove it to use the default");
        }
        values.put(path, parse(setting, entry.getValue(), "in " + file));
      }
    }
  }

  private static void applyEnvironment(Map<String, String> environment, Map<String, Object> values) {
    Map<String, String> sorted = new TreeMap<>(environment);
    String clickhouseUrl = sorted.get(CLICKHOUSE_URL_ENV);
    if (clickhouseUrl != null) {
      Setting url = find("storage.url").orElseThrow();
      values.put(url.path(), parse(url, clickhouseUrl, "from environment variable " + CLICKHOUSE_URL_ENV));
      String storageUrl = sorted.get(url.envName());
      if (storageUrl != null && !storageUrl.strip().equals(clickhouseUrl.strip())) {
        throw new ConfigException("storage.url: both " + CLICKHOUSE_URL_ENV + " and " + url.envName()
            + " are set to different values; set only one");
      }
    }
    for (Map.Entry<String, String> entry : sorted.entrySet()) {
      String name = entry.getKey();
      if (!name.startsWith("TELEMETRY_") || name.equals(CLICKHOUSE_URL_ENV)) {
        continue;
      }
      if (name.equals(REDIS_URL_ENV)) {
        values.put("cache.redisUrl", parse(find("cache.redisUrl").orElseThrow(), entry.getValue(),
            "from environment variable " + name));
        continue;
      }
      Optional<Setting> setting = SETTINGS.stream().filter(s -> s.envName().equals(name)).findFirst();
      if (setting.isPresent()) {
        values.put(setting.get().path(),
            parse(setting.get(), entry.getValue(), "from environment variable " + name));
        continue;
      }
      for (String section : sectionNames()) {
        if (name.startsWith("TELEMETRY_" + upperSnake(section) + "_")) {
          throw new ConfigException(name + ": unknown setting in section " + section + "; known variables: "
              + String.join(", ", SETTINGS.stream().filter(s -> s.section().equals(section))
                  .map(Setting::envName).toList()));
        }
      }
    }
  }

  private static Object parse(Setting setting, Object raw, String source) {
    try {
      return setting.parser().parse(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(setting.path() + ": " + e.getMessage() + " (" + source + ")", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static ServerConfig build(Map<String, Object> v, Map<String, String> environment,
      Map<String, String> systemProperties) {
    var server = new ServerConfig.ServerSection(
        (String) v.get("server.host"),
        (int) v.get("server.port"),
        (int) v.get("server.otlpGrpcPort"),
        (int) v.get("server.otlpHttpPort"),
        (Duration) v.get("server.shutdownGracePeriod"),
        (List<String>) v.get("server.corsAllowedOrigins"),
        ServerConfig.LogFormat.valueOf(((String) v.get("server.logFormat")).toUpperCase(Locale.ROOT)),
        (String) v.get("server.webUiDirectory"));
    var storage = new ServerConfig.StorageSection(
        (String) v.get("storage.url"),
        chdbLibrary((String) v.get("storage.chdbLibrary"), environment, systemProperties),
        (String) v.get("storage.database"),
        (int) v.get("storage.poolSize"),
        (Duration) v.get("storage.connectionTimeout"),
        (Duration) v.get("storage.validationTimeout"),
        (int) v.get("storage.readRetries"),
        (Duration) v.get("storage.retryBackoff"),
        ((String) v.get("storage.cluster")).strip());
    for (String timeout : List.of("storage.connectionTimeout", "storage.validationTimeout")) {
      if (((Duration) v.get(timeout)).toMillis() < 250) {
        throw new ConfigException(timeout + ": must be at least 250ms (the connection pool's minimum), got "
            + v.get(timeout));
      }
    }
    if (!storage.cluster().isEmpty() && !storage.cluster().matches("[A-Za-z_][A-Za-z0-9_\\-]{0,63}")) {
      throw new ConfigException("storage.cluster: expected a cluster name from the server's remote_servers, like"
          + " telemetry, got '" + storage.cluster() + "'");
    }
    if (!storage.database().matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
      throw new ConfigException("storage.database: expected a plain identifier like otel, got '"
          + storage.database() + "'");
    }
    var retention = new ServerConfig.RetentionSection(
        (int) v.get("retention.tracesDays"), (int) v.get("retention.logsDays"), (int) v.get("retention.metricsDays"));
    var ingest = new ServerConfig.IngestSection(
        (long) v.get("ingest.maxMessageBytes"),
        (int) v.get("ingest.maxAttributeValueLength"),
        (long) v.get("ingest.bufferBytes"),
        (int) v.get("ingest.maxBatchRows"),
        (Duration) v.get("ingest.flushInterval"));
    if (ingest.bufferBytes() < ingest.maxMessageBytes()) {
      throw new ConfigException("ingest.bufferBytes: must be at least ingest.maxMessageBytes ("
          + ingest.maxMessageBytes() + " bytes), got " + ingest.bufferBytes() + " bytes");
    }
    var query = new ServerConfig.QuerySection(
        (Duration) v.get("query.defaultTimeRange"),
        (Duration) v.get("query.maxTimeRange"),
        (Duration) v.get("query.maxExecutionTime"),
        (long) v.get("query.maxRowsToRead"),
        (long) v.get("query.maxResultRows"),
        (int) v.get("query.maxSeries"),
        (int) v.get("query.maxPoints"));
    if (query.maxTimeRange().compareTo(query.defaultTimeRange()) < 0) {
      throw new ConfigException("query.maxTimeRange: must be at least query.defaultTimeRange ("
          + query.defaultTimeRange() + "), got " + query.maxTimeRange());
    }
    if (query.maxExecutionTime().toSeconds() < 1) {
      throw new ConfigException("query.maxExecutionTime: must be at least 1s, got " + query.maxExecutionTime());
    }
    var auth = new ServerConfig.AuthSection((boolean) v.get("auth.enabled"), (String) v.get("auth.defaultTenant"));
    var demo = new ServerConfig.DemoSection((boolean) v.get("demo.enabled"), (Duration) v.get("demo.interval"));
    var kubernetes = new ServerConfig.KubernetesSection(
        ServerConfig.KubernetesMode.valueOf(((String) v.get("kubernetes.enabled")).toUpperCase(Locale.ROOT)),
        (String) v.get("kubernetes.kubeconfig"),
        (List<String>) v.get("kubernetes.kinds"),
        (Duration) v.get("kubernetes.resync"),
        (String) v.get("kubernetes.clusterName"),
        (String) v.get("kubernetes.tenant"));
    var cache = new ServerConfig.CacheSection((boolean) v.get("cache.enabled"), (long) v.get("cache.l1MaxBytes"),
        (String) v.get("cache.redisUrl"), (Duration) v.get("cache.ingestDelay"), (Duration) v.get("cache.bucketTtl"),
        (Duration) v.get("cache.freshTtl"), (Duration) v.get("cache.redisTimeout"),
        (int) v.get("cache.bucketSteps"));
    String redis = cache.redisUrl();
    if (!redis.isEmpty() && !redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
      throw new ConfigException("cache.redisUrl: expected redis://host:port or rediss://host:port, got " + redis);
    }
    return new ServerConfig(server, storage, retention, ingest, query, auth, demo, kubernetes, cache);
  }

  /** Configured path, else system property chdb.lib, else env CHDB_LIB, else the Makefile's cache location. */
  private static Path chdbLibrary(String configured, Map<String, String> environment,
      Map<String, String> systemProperties) {
    if (!configured.isBlank()) {
      return Path.of(configured);
    }
    String property = systemProperties.get("chdb.lib");
    if (property != null && !property.isBlank() && !property.startsWith("${")) {
      return Path.of(property);
    }
    String env = environment.get("CHDB_LIB");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String home = systemProperties.getOrDefault("user.home", ".");
    return Path.of(home, CACHED_CHDB);
  }

  private static Optional<Setting> find(String path) {
    return SETTINGS.stream().filter(s -> s.path().equals(path)).findFirst();
  }

  private static List<String> sectionNames() {
    return SETTINGS.stream().map(Setting::section).distinct().toList();
  }

  private static String keysOf(String section) {
    return String.join(", ", SETTINGS.stream().filter(s -> s.section().equals(section)).map(Setting::key).toList());
  }

  static String upperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }
}
