/** Times a round trip with no engine work, right after another one and after a pause: the floor of API overhead. */
package com.kubetelemetry.bench;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Every API call pays one gRPC round trip after its engine work, and the code of that round trip has sat unused
 * for as long as the engine ran. On the machines this is measured on, code that has sat unused for a few
 * milliseconds runs several times slower, even a one-byte TCP echo between two threads: this prints both, so the
 * read benchmark's "extra" column can be read against what the transport alone costs after such a pause.
 */
final class RoundTripFloor {
  private static final int SAMPLES = 200;

  private RoundTripFloor() {}

  /** Prints p50s of a gRPC health check on {@code uri} and of a loopback TCP echo, back-to-back and after a pause. */
  static void print(String uri, long pauseMillis) throws IOException {
    var health = GrpcClients.builder(uri).build(HealthGrpc.HealthBlockingStub.class);
    Runnable grpc = () -> health.check(HealthCheckRequest.getDefaultInstance());
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // The echo thread ends when the client socket below closes.
      Thread.ofPlatform().daemon().name("bench-echo").start(() -> echoOne(listener));
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        Runnable tcp = () -> echoByte(in, out);
        long pauseNanos = TimeUnit.MILLISECONDS.toNanos(pauseMillis);
        for (int i = 0; i < 1000; i++) {
          grpc.run();
          tcp.run();
        }
        long[][] nanos = new long[4][SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
          nanos[0][i] = afterPause(grpc, 0);
          nanos[1][i] = afterPause(grpc, pauseNanos);
          nanos[2][i] = afterPause(tcp, 0);
          nanos[3][i] = afterPause(tcp, pauseNanos);
        }
        System.out.printf(Locale.ROOT, "Round trip with no engine work, p50 of %d: gRPC health check %.2f ms "
            + "back-to-back, %.2f ms after a %d ms pause; loopback TCP echo %.3f ms and %.3f ms%n", SAMPLES,
            median(nanos[0]), median(nanos[1]), pauseMillis, median(nanos[2]), median(nanos[3]));
      }
    }
  }

  /** Runs {@code call} once untimed (so the timed run follows a finished round trip), waits, then times it. */
  private static long afterPause(Runnable call, long pauseNanos) {
    call.run();
    if (pauseNanos > 0) {
      // The pause is the condition being measured (the engine's time in a real call), not a synchronisation.
      LockSupport.parkNanos(pauseNanos);
    }
    long t0 = System.nanoTime();
    call.run();
    return System.nanoTime() - t0;
  }

  private static void echoOne(ServerSocket listener) {
    try (Socket peer = listener.accept()) {
      peer.setTcpNoDelay(true);
      InputStream in = peer.getInputStream();
      OutputStream out = peer.getOutputStream();
      for (int b = in.read(); b >= 0; b = in.read()) {
        out.write(b);
        out.flush();
      }
    } catch (IOException e) {
      // The client closed the socket: the measurement is over.
    }
  }

  private static void echoByte(InputStream in, OutputStream out) {
    try {
      out.write(1);
      out.flush();
      if (in.read() < 0) {
        throw new IOException("echo closed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return LatencyComparison.millis(LatencyComparison.percentile(sorted, 0.50));
  }
}
