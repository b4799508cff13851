/** Entry point: read the command line and configuration, open the backend, start the server, stop on SIGTERM. */
package com.kubetelemetry.server;

import com.kubetelemetry.config.ConfigException;
import com.kubetelemetry.config.ConfigLoader;
import com.kubetelemetry.config.ServerConfig;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Exit codes: 0 after --help, 2 for bad arguments or settings, 1 when start-up fails otherwise. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    CommandLine commandLine;
    try {
      commandLine = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(CommandLine.USAGE);
      System.exit(2);
      return;
    }
    if (commandLine.help()) {
      System.out.print(CommandLine.USAGE);
      return;
    }
    ServerConfig config;
    try {
      config = ConfigLoader.loadFromProcess(commandLine.configFile(), commandLine.demo());
    } catch (ConfigException e) {
      System.err.println("invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    LogSetup.apply(config.server().logFormat());
    Logger log = LoggerFactory.getLogger(Main.class);
    try {
      Running running = run(config, new StorageBackendFactory(), log);
      Runtime.getRuntime().addShutdownHook(new Thread(running.shutdown(), "shutdown"));
    } catch (RuntimeException e) {
      log.error("start-up failed: {}", e.getMessage(), e);
      System.exit(1);
    }
  }

  /** A started server and the sequence that stops it (Main runs it from a JVM shutdown hook, on SIGTERM). */
  record Running(TelemetryServer server, ShutdownSequence shutdown) {}

  /** Opens the backend, starts the server and the demo hook, and logs the start-up line. */
  static Running run(ServerConfig config, BackendFactory factory, Logger log) {
    Backend backend = factory.open(config);
    TelemetryServer server;
    try {
      server = new TelemetryServer(config, backend).start();
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    DemoHook demo = new DemoHook(config.demo(), backend);
    ShutdownSequence shutdown = new ShutdownSequence(server, demo, backend);
    demo.start();
    Duration sinceLaunch = ProcessHandle.current().info().startInstant()
        .map(t -> Duration.between(t, Instant.now())).orElse(Duration.ZERO);
    log.info("ready in {} ms: api and OTLP/gRPC on port {}, OTLP/gRPC on {}, OTLP/HTTP on {}, storage {} ({} {})",
        sinceLaunch.toMillis(), server.port(), portText(server.otlpGrpcPort()), portText(server.otlpHttpPort()),
        config.storage().url(), backend.store().kind(), backend.store().engineVersion());
    return new Running(server, shutdown);
  }

  private static String portText(int port) {
    return port == ServerConfig.DISABLED_PORT ? "(disabled)" : Integer.toString(port);
  }
}
