/**
 * Proves the JVM still handles its own faults while the engine is open and busy: StackOverflowError, implicit
 * null checks in JIT-compiled code, and GC storms. Without the signal-handler restore, this JVM would die here.
 */
package com.kubetelemetry.storage.chdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.sql.Sql;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmSafetyTest {
  @TempDir
  Path dataDir;

  @Test
  void jvmFaultHandlingSurvivesAnOpenBusyEngine() throws Exception {
    try (var store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dataDir, "j").withPoolSize(2));
         ExecutorService workers = Executors.newFixedThreadPool(3)) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong queries = new AtomicLong();
      List<Future<?>> background = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        background.add(workers.submit(() -> {
          while (!stop.get()) {
            String sum = store.query(Sql.of("SELECT sum(number) FROM numbers(200000)"), "TSV").text().strip();
            assertThat(sum).isEqualTo(String.valueOf(200000L * 199999L / 2));
            queries.incrementAndGet();
          }
        }));
      }
      background.add(workers.submit(JvmSafetyTest::churnGarbage));
      try {
        int overflows = 0;
        int nulls = 0;
        for (int round = 0; round < 20; round++) {
          try {
            recurse(0);
          } catch (StackOverflowError expected) {
            overflows++;
          }
          nulls += compiledNullChecks();
          System.gc();
        }
        assertThat(overflows).isEqualTo(20);
        assertThat(nulls).isEqualTo(20);
      } finally {
        stop.set(true);
      }
      for (Future<?> f : background) {
        f.get();
      }
      assertThat(queries.get()).isPositive();
    }
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  /** Warms a method until it is JIT-compiled with an implicit null check, then makes that check fire. */
  private static int compiledNullChecks() {
    Holder[] holders = new Holder[50_001];
    for (int i = 0; i < 50_000; i++) {
      holders[i] = new Holder(i);
    }
    long sum = 0;
    try {
      for (Holder h : holders) {
        sum += length(h);
      }
    } catch (NullPointerException expected) {
      return sum > 0 ? 1 : 0;
    }
    return 0;
  }

  private static int length(Holder h) {
    return h.value;
  }

  private record Holder(int value) {}

  private static void churnGarbage() {
    long sink = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[][] chunk = new byte[256][];
      for (int j = 0; j < chunk.length; j++) {
        chunk[j] = new byte[1024 + j];
      }
      sink += chunk[i % 256].length;
    }
    assertThat(sink).isPositive();
  }
}
