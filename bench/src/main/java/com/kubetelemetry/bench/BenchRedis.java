/** A throw-away redis-server for the cache benchmark (no persistence, free port), when the binary is installed. */
package com.kubetelemetry.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Ready when the server logs "Ready to accept connections" (bounded wait). */
final class BenchRedis implements AutoCloseable {
  private final Process process;
  private final int port;

  private BenchRedis(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** A started server, or null when redis-server is not on the PATH. */
  static BenchRedis startIfInstalled() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p;
    try {
      p = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
          "--appendonly", "no").redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      return null;
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.contains("Ready to accept connections")) {
            ready.complete(null);
          }
        }
        ready.completeExceptionally(new IllegalStateException("redis-server exited"));
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
    });
    reader.setDaemon(true);
    reader.start();
    ready.get(20, TimeUnit.SECONDS);
    return new BenchRedis(p, port);
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
