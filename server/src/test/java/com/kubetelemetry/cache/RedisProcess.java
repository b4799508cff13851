/** JUnit 5 extension: a real redis-server on a free port for the test class (no persistence), killed after it. */
package com.kubetelemetry.cache;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Readiness is event-driven: the process's log line "Ready to accept connections" (bounded by a deadline), then
 * one PING that must answer PONG. {@link #kill()} stops it hard (SIGKILL) for fault tests; {@link #start()} brings
 * it back on the same port. {@code make test} installs redis-server when missing.
 */
public final class RedisProcess implements BeforeAllCallback, AfterAllCallback {
  private static final long READY_SECONDS = 20;

  private final int port = freePort();
  private Process process;

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    kill();
  }

  /** {@code redis://127.0.0.1:<port>} */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Starts redis-server and returns once it answers PING. */
  public void start() {
    try {
      process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (install it: `make redis` or "
          + "`apt-get install redis-server`)", e);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> drain(process.getInputStream(), ready), "redis-" + port + "-log");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(READY_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      kill();
      throw new IllegalStateException("redis-server on port " + port + " did not become ready", e);
    }
    String pong = command("PING");
    if (!pong.startsWith("+PONG")) {
      throw new IllegalStateException("redis-server answered PING with " + pong);
    }
  }

  private static void drain(InputStream log, CompletableFuture<Void> ready) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(log, StandardCharsets.UTF_8))) {
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
  }

  /** SIGKILL and wait for the process to end; idempotent. */
  public void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** SIGSTOP: the server keeps its connections but answers nothing (a hung Redis) until {@link #resume()}. */
  public void pause() {
    signal("-STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    signal("-CONT");
  }

  private void signal(String which) {
    try {
      int exit = new ProcessBuilder("kill", which, Long.toString(process.pid())).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill " + which + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One inline command over a fresh connection; the first reply line. */
  public String command(String inline) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
