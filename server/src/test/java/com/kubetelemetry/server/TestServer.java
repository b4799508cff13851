/** JUnit 5 extension: boots the real TelemetryServer on free ports with a Backend the test provides. */
package com.kubetelemetry.server;

import com.kubetelemetry.config.ConfigLoader;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.remote.ClickHouseHttpEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Register as a static field to share one server per class, or as an instance field for one per test:
 * <pre>
 * &#64;RegisterExtension
 * static final TestServer server = TestServer.create(RecordingBackend::new);
 * ... server.port(), server.uri(), server.backend() ...
 * </pre>
 * The configuration is the defaults with every port free (0), host 127.0.0.1, storage
 * {@code embedded:<temporary directory>} and the test libchdb; {@code configure} can change it further.
 * Stopping runs the real {@link ShutdownSequence} (drain, then backend close); the directory is deleted after.
 * <p>With the system property {@code test.store=remote} (the build's second test run), a server opened by the
 * production {@link StorageBackendFactory} uses the remote store instead: the test ClickHouse HTTP endpoint
 * ({@link ClickHouseHttpEndpoint}) runs over an embedded engine on the temporary directory and {@code storage.url}
 * points at it, so the same tests check both stores with the same expectations.
 */
public final class TestServer
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** System property choosing the store of servers opened by the production factory: embedded or remote. */
  public static final String STORE_PROPERTY = "test.store";
  private final BackendFactory factory;
  private final UnaryOperator<ServerConfig> customizer;
  private Path dataDirectory;
  private ServerConfig config;
  private Backend backend;
  private TelemetryServer server;
  private ShutdownSequence shutdown;
  private boolean perTest;
  private EmbeddedStore remoteEngine;
  private ClickHouseHttpEndpoint endpoint;

  private final boolean alwaysRemote;
  private final Clock readClock;

  private TestServer(BackendFactory factory, UnaryOperator<ServerConfig> customizer, boolean alwaysRemote,
      Clock readClock) {
    this.factory = factory;
    this.customizer = customizer;
    this.alwaysRemote = alwaysRemote;
    this.readClock = readClock;
  }

  /** A server on the remote store over the test endpoint, whatever {@code test.store} says. */
  public static TestServer remote(UnaryOperator<ServerConfig> configure) {
    return new TestServer(new StorageBackendFactory(), configure, true, Clock.systemUTC());
  }

  public static TestServer create(BackendFactory factory) {
    return new TestServer(factory, UnaryOperator.identity(), false, Clock.systemUTC());
  }

  public static TestServer create(BackendFactory factory, UnaryOperator<ServerConfig> configure) {
    return new TestServer(factory, configure, false, Clock.systemUTC());
  }

  /** As {@link #create(BackendFactory, UnaryOperator)}; reads and the cache tell time by {@code readClock}. */
  public static TestServer create(BackendFactory factory, UnaryOperator<ServerConfig> configure, Clock readClock) {
    return new TestServer(factory, configure, false, readClock);
  }

  /** The configuration a TestServer starts with, before {@code configure}. */
  public static ServerConfig baseConfig(Path dataDirectory) {
    ServerConfig defaults = ConfigLoader.load(Optional.empty(), false, Map.of(),
        Map.of("chdb.lib", TestLibrary.path().toString(), "user.home", System.getProperty("user.home")));
    ServerConfig.ServerSection s = defaults.server().withFreePorts();
    ServerConfig.StorageSection st = defaults.storage();
    return defaults
        .withServer(new ServerConfig.ServerSection("127.0.0.1", 0, 0, 0, s.shutdownGracePeriod(),
            s.corsAllowedOrigins(), s.logFormat()))
        .withStorage(new ServerConfig.StorageSection("embedded:" + dataDirectory, st.chdbLibrary(), st.database(),
            st.poolSize()))
        .withKubernetes(new ServerConfig.KubernetesSection(ServerConfig.KubernetesMode.FALSE, "", List.of(),
            java.time.Duration.ZERO, "", "default"));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (server == null) {
      perTest = true;
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      stop();
    }
  }

  /** Starts the server (called by JUnit; tests call it only to restart after {@link #stop()}). */
  public void start() {
    try {
      dataDirectory = Files.createTempDirectory("telemetry-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerConfig base = baseConfig(dataDirectory);
    if (remote()) {
      base = base.withStorage(base.storage().withUrl(startEndpoint(base.storage())));
    }
    config = customizer.apply(base);
    try {
      backend = factory.open(config);
    } catch (RuntimeException e) {
      stopEndpoint();
      throw e;
    }
    try {
      server = new TelemetryServer(config, backend, readClock).start();
    } catch (RuntimeException e) {
      backend.close();
      stopEndpoint();
      throw e;
    }
    shutdown = new ShutdownSequence(server, new DemoHook(config.demo(), backend), backend);
  }

  /** Graceful stop through the real ShutdownSequence; idempotent. */
  public void stop() {
    if (shutdown != null) {
      shutdown.run();
      stopEndpoint();
      deleteTree(dataDirectory);
    }
  }

  /** True when this server runs on the remote store (see the class comment). */
  public boolean remote() {
    return alwaysRemote
        || "remote".equals(System.getProperty(STORE_PROPERTY)) && factory instanceof StorageBackendFactory;
  }

  /** The test ClickHouse endpoint the remote store talks to; empty on the embedded store. */
  public Optional<ClickHouseHttpEndpoint> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  private String startEndpoint(ServerConfig.StorageSection storage) {
    remoteEngine = new EmbeddedStore(EmbeddedStoreOptions.of(storage.chdbLibrary(),
        storage.embeddedDataDirectory(), storage.database()).withPoolSize(8));
    endpoint = ClickHouseHttpEndpoint.start(remoteEngine);
    // As against a real server, the connection's database is one that exists before the schema is created.
    return endpoint.jdbcUrl("default");
  }

  private void stopEndpoint() {
    if (endpoint != null) {
      endpoint.close();
      endpoint = null;
    }
    if (remoteEngine != null) {
      remoteEngine.close();
      remoteEngine = null;
    }
  }

  public TelemetryServer server() {
    return server;
  }

  public Backend backend() {
    return backend;
  }

  public ServerConfig config() {
    return config;
  }

  public int port() {
    return server.port();
  }

  public int otlpGrpcPort() {
    return server.otlpGrpcPort();
  }

  public int otlpHttpPort() {
    return server.otlpHttpPort();
  }

  /** {@code http://127.0.0.1:<main port>} */
  public String uri() {
    return "http://127.0.0.1:" + port();
  }

  private static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
