/** The embedded store against the real engine: queries, parameters, streaming, inserts, errors, persistence. */
package com.kubetelemetry.storage.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.ResultStream;
import com.kubetelemetry.storage.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedStoreTest {
  private Path dataDir;

  private EmbeddedStore store;

  @BeforeAll
  void setUp(@TempDir Path dir) {
    dataDir = dir;
    open();
  }

  void open() {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dataDir, "t"));
    store.execute(List.of(Sql.of("CREATE DATABASE IF NOT EXISTS t")));
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void reportsEngineVersionAndHealth() {
    assertThat(store.engineVersion()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    assertThat(store.isHealthy()).isTrue();
    assertThat(store.kind()).isEqualTo("embedded");
  }

  @Test
  void bindsTypedParameters() {
    var result = store.query(Sql.of(
        "SELECT {a:UInt64} + {b:Int32} AS s, {f:Float64} * 2 AS f, {flag:Bool} AS flag, length({xs:Array(UInt32)}) AS n",
        new Param("a", "UInt64", 40L), new Param("b", "Int32", 2), new Param("f", "Float64", 1.25),
        new Param("flag", "Bool", true), new Param("xs", "Array(UInt32)", List.of(1, 2, 3))), "TSV");
    assertThat(result.text().strip()).isEqualTo("42\t2.5\ttrue\t3");
    assertThat(result.rows()).isEqualTo(1);
  }

  @Test
  void mapsEngineErrorsToCodes() {
    assertThatThrownBy(() -> store.query(Sql.of("SELECT * FROM t.no_such_table"), "TSV"))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.code()).isEqualTo(60);
          assertThat(e.getMessage()).contains("no_such_table");
        });
    assertThatThrownBy(() -> store.query(Sql.of("SELEC 1"), "TSV"))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(62));
    assertThat(store.query(Sql.of("SELECT 1"), "TSV").text().strip()).isEqualTo("1");
  }

  @Test
  void streamsLargeResultsInChunks() {
    long total = 0;
    long rows = 0;
    int chunks = 0;
    try (ResultStream stream = store.stream(Sql.of("SELECT number FROM numbers({n:UInt64})",
        new Param("n", "UInt64", 2_000_000L)), "TSV")) {
      for (byte[] chunk = stream.next(); chunk != null; chunk = stream.next()) {
        chunks++;
        for (String line : new String(chunk).split("\n")) {
          if (!line.isEmpty()) {
            total += Long.parseLong(line);
            rows++;
          }
        }
      }
    }
    assertThat(rows).isEqualTo(2_000_000L);
    assertThat(total).isEqualTo(2_000_000L * 1_999_999L / 2);
    assertThat(chunks).isGreaterThan(1);
  }

  @Test
  void closingAStreamEarlyCancelsItAndFreesTheConnection() {
    for (int i = 0; i < 10; i++) {
      try (ResultStream stream = store.stream(Sql.of("SELECT number FROM numbers(100000000)"), "TSV")) {
        assertThat(stream.next()).isNotEmpty();
      }
    }
    // Every connection came back: a full pool of parallel queries still runs.
    assertThat(runInParallel(4, () -> store.query(Sql.of("SELECT 7"), "TSV").text().strip()))
        .containsOnly("7");
  }

  @Test
  void aFailedStreamReportsTheEngineError() {
    try (ResultStream stream = store.stream(Sql.of("SELECT throwIf(number = 500000, 'boom') FROM numbers(1000000)"),
        "TSV")) {
      assertThatThrownBy(() -> {
        while (stream.next() != null) {
          // read until the failure surfaces
        }
      }).isInstanceOf(StoreException.class).hasMessageContaining("boom");
    }
    assertThat(store.query(Sql.of("SELECT 1"), "TSV").text().strip()).isEqualTo("1");
  }

  @Test
  void runsQueriesInParallelOnThePool() {
    List<String> answers = runInParallel(8, () -> store.query(Sql.of(
        "SELECT sum(number) FROM numbers(1000000)"), "TSV").text().strip());
    assertThat(answers).hasSize(8).containsOnly(String.valueOf(1_000_000L * 999_999L / 2));
  }

  @Test
  void insertsNativeBlocksAsOneInsert() {
    store.execute(List.of(Sql.of("CREATE TABLE IF NOT EXISTS t.ins (id UInt64, name LowCardinality(String), "
        + "attrs Map(LowCardinality(String), String)) ENGINE = MergeTree ORDER BY id")));
    // The engine itself encodes the blocks, so this test does not depend on our own encoder.
    NativeBlock first = nativeBlock("SELECT number AS id, toString(number) AS name, map('k', toString(number)) AS attrs"
        + " FROM numbers(0, 1000)", 1000);
    NativeBlock second = nativeBlock("SELECT number AS id, toString(number) AS name, map('k', toString(number)) AS attrs"
        + " FROM numbers(1000, 500)", 500);
    store.insert("ins", List.of(first, second));
    String summary = store.query(Sql.of("SELECT count(), sum(id), countIf(attrs['k'] = name) FROM t.ins"), "TSV")
        .text().strip();
    assertThat(summary).isEqualTo("1500\t" + (1500L * 1499L / 2) + "\t1500");
  }

  @Test
  void refusesUnsafeTableNames() {
    NativeBlock block = nativeBlock("SELECT 1 AS id", 1);
    assertThatThrownBy(() -> store.insert("ins; DROP TABLE t.ins", List.of(block)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dataSurvivesAReopen(@TempDir Path otherDir) {
    // One process holds one data directory at a time, so the reopen happens in a second store after this one.
    Path dir = otherDir.resolve("persist");
    try (var first = new Reopened(dir)) {
      first.store.execute(List.of(Sql.of("CREATE DATABASE IF NOT EXISTS p"),
          Sql.of("CREATE TABLE p.kept (v String) ENGINE = MergeTree ORDER BY v"),
          Sql.of("INSERT INTO p.kept SELECT {v:String}", new Param("v", "String", "still here"))));
    }
    try (var second = new Reopened(dir)) {
      assertThat(second.store.query(Sql.of("SELECT v FROM p.kept"), "TSV").text().strip()).isEqualTo("still here");
    }
  }

  /** Closes the class's store while a second directory is open, and reopens it afterwards. */
  private final class Reopened implements AutoCloseable {
    final EmbeddedStore store;

    Reopened(Path dir) {
      EmbeddedStoreTest.this.store.close();
      this.store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "p").withPoolSize(1));
    }

    @Override
    public void close() {
      store.close();
      EmbeddedStoreTest.this.open();
    }
  }

  private NativeBlock nativeBlock(String select, int rows) {
    byte[] data = store.query(Sql.of(select), "Native").data();
    List<String> columns = new ArrayList<>();
    for (String line : store.query(Sql.of("DESCRIBE (" + select + ")"), "TSV").text().split("\n")) {
      if (!line.isBlank()) {
        columns.add(line.split("\t")[0]);
      }
    }
    assertThat(Files.exists(dataDir)).isTrue();
    return new NativeBlock(columns, rows, data);
  }

  private static <T> List<T> runInParallel(int n, Callable<T> task) {
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
