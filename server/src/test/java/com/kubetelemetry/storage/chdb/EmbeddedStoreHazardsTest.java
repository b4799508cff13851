/** One test per hazard of the embedded engine listed in shared/design/CHDB.md, against the real library. */
package com.kubetelemetry.storage.chdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.StoreException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedStoreHazardsTest {
  private static final String HOSTILE = "x'); DROP TABLE h.kept; --\n\nCREATE TABLE h.injected (a Int8) ENGINE = Memory"
      + "\n\n\tSELECT 1 \\' \\\\ {v:String} \0 end";

  private Path dataDir;

  private EmbeddedStore store;

  @BeforeAll
  void setUp(@TempDir Path dir) {
    dataDir = dir;
    open();
  }

  void open() {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dataDir, "h").withPoolSize(2));
    store.execute(List.of(Sql.of("CREATE DATABASE IF NOT EXISTS h"),
        Sql.of("CREATE TABLE IF NOT EXISTS h.kept (v String) ENGINE = MergeTree ORDER BY tuple()")));
  }

  @AfterAll
  void close() {
    store.close();
  }

  /** Hazard 1: the JVM's crash-signal handlers are the same after connecting as before. */
  @Test
  void connectingLeavesTheJvmSignalHandlersInPlace(@TempDir Path other) {
    JvmSignalHandlers signals = new JvmSignalHandlers();
    store.close();
    long[] before = handlers(signals);
    try (var reopened = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), other, "h").withPoolSize(3))) {
      assertThat(handlers(signals)).containsExactly(before);
      assertThat(reopened.isHealthy()).isTrue();
    } finally {
      open();
    }
  }

  /** Hazard 2: text with a blank line never reaches the engine, and hostile values stay data. */
  @Test
  void blankLinesAreRefusedAndInjectionStaysData() {
    assertThatThrownBy(() -> Sql.of("SELECT 1\n\nCREATE TABLE h.injected (a Int8) ENGINE = Memory"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank line");
    store.execute(List.of(Sql.of("INSERT INTO h.kept SELECT {v:String}", new Param("v", "String", HOSTILE))));
    String stored = store.query(Sql.of("SELECT v FROM h.kept WHERE v = {v:String}",
        new Param("v", "String", HOSTILE)), "RowBinary").text();
    assertThat(stored.substring(1)).isEqualTo(HOSTILE);
    assertThat(store.query(Sql.of("EXISTS TABLE h.injected"), "TSV").text().strip()).isEqualTo("0");
    assertThat(store.query(Sql.of("EXISTS TABLE h.kept"), "TSV").text().strip()).isEqualTo("1");
  }

  /** Hazard 3: DROP/KILL ... SYNC would hang forever, so the binding refuses it at once. */
  @Test
  void syncDropsAreRefusedAndPlainDropsWork() {
    store.execute(List.of(Sql.of("CREATE TABLE IF NOT EXISTS h.doomed (a Int8) ENGINE = MergeTree ORDER BY a")));
    assertThatThrownBy(() -> store.execute(List.of(Sql.of("DROP TABLE h.doomed SYNC"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without SYNC");
    assertThatThrownBy(() -> store.query(Sql.of("KILL QUERY WHERE query_id = 'x' SYNC"), "TSV"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.query(Sql.of("EXISTS TABLE h.doomed"), "TSV").text().strip()).isEqualTo("1");
    store.execute(List.of(Sql.of("DROP TABLE h.doomed")));
    assertThat(store.query(Sql.of("EXISTS TABLE h.doomed"), "TSV").text().strip()).isEqualTo("0");
  }

  /** Hazard 4: values are escaped for the engine's text parser, and integers are range-checked in Java. */
  @Test
  void parameterValuesRoundTripExactly() {
    String awkward = "tab\there\nnew line\r\\back\\slash 'quote' \"dq\" {brace:String} \0nul ünïcödé 🚀";
    List<String> list = List.of("a'b", "c\\d", "e\tf\ng", "", "{x:String}");
    Map<String, String> map = new LinkedHashMap<>();
    map.put("k'1", "v\t1");
    map.put("k\\2", "v\n2");
    var result = store.query(Sql.of("SELECT {s:String} = {s2:String}, length({s:String}), {a:Array(String)} = "
        + "{a2:Array(String)}, length({a:Array(String)}), {m:Map(String, String)}['k\\'1'], "
        + "toUnixTimestamp64Nano({t:DateTime64(9)})",
        new Param("s", "String", awkward), new Param("s2", "String", awkward),
        new Param("a", "Array(String)", list), new Param("a2", "Array(String)", list),
        new Param("m", "Map(String, String)", map),
        new Param("t", "DateTime64(9)", Instant.ofEpochSecond(1_700_000_000L, 123_456_789))), "TSV");
    String[] cols = result.text().strip().split("\t");
    assertThat(cols[0]).isEqualTo("1");
    assertThat(Long.parseLong(cols[1])).isEqualTo(awkward.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    assertThat(cols[2]).isEqualTo("1");
    assertThat(cols[3]).isEqualTo("5");
    assertThat(cols[4]).isEqualTo("v\\t1");
    assertThat(cols[5]).isEqualTo("1700000000123456789");
    String echoed = store.query(Sql.of("SELECT {s:String}", new Param("s", "String", awkward)), "RawBLOB").text();
    assertThat(echoed).isEqualTo(awkward);
    assertThatThrownBy(() -> store.query(Sql.of("SELECT {x:UInt8}", new Param("x", "UInt8", 300)), "TSV"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the range of UInt8");
    assertThatThrownBy(() -> store.query(Sql.of("SELECT {x:UInt64}", new Param("x", "UInt64", -1L)), "TSV"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Hazard 5: interrupting the Java thread does not stop a query; max_execution_time does. */
  @Test
  void executionTimeLimitStopsARunawayQuery() throws Exception {
    Sql runaway = Sql.of("SELECT count() FROM numbers(100000000000) WHERE NOT ignore(sipHash64(number))")
        .withSetting("max_execution_time", "1").withSetting("timeout_overflow_mode", "'throw'");
    var call = CompletableFuture.supplyAsync(() -> store.query(runaway, "TSV"));
    assertThatThrownBy(() -> call.get(60, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StoreException.class)
        .cause().satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo(159));
    assertThat(store.query(Sql.of("SELECT 2"), "TSV").text().strip()).isEqualTo("2");
  }

  private static long[] handlers(JvmSignalHandlers signals) {
    long[] out = new long[JvmSignalHandlers.SIGNALS.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = signals.handlerAddress(JvmSignalHandlers.SIGNALS[i]);
    }
    return out;
  }
}
