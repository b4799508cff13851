/** The Native encoder against the real engine: every column type round-trips through an INSERT and a SELECT. */
package com.kubetelemetry.storage.nativeformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeBlockBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SAMPLES = {"", "plain", "ünïcödé ✓", "emoji 😀 pair", "tab\tand\nnewline", "q'\"\\"};

  private EmbeddedStore store;
  private int tableCounter;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "enc").withPoolSize(1));
    store.execute(List.of(Sql.of("CREATE DATABASE IF NOT EXISTS enc")));
  }

  @AfterAll
  void close() {
    store.close();
  }

  private String createTable() {
    String table = "all_types_" + (++tableCounter);
    store.execute(List.of(Sql.of("CREATE TABLE enc." + table + " (id UInt64, s String, lc LowCardinality(String),"
        + " u8 UInt8, b Bool, u32 UInt32, i32 Int32, f Float64, ts DateTime64(9),"
        + " m Map(LowCardinality(String), String), sa Array(String), ua Array(UInt64), fa Array(Float64),"
        + " ta Array(DateTime64(9)), Ev Nested(Timestamp DateTime64(9), Name LowCardinality(String),"
        + " Attributes Map(LowCardinality(String), String))) ENGINE = MergeTree ORDER BY id")));
    return table;
  }

  /** Row i of the generated data; every value derives from i so the read-back can be checked exactly. */
  private static NativeBlock block(int from, int count) {
    NativeBlockBuilder builder = new NativeBlockBuilder(4);
    var id = builder.uint64("id");
    var s = builder.string("s");
    var lc = builder.string("lc");
    var u8 = builder.uint8("u8");
    var b = builder.bool("b");
    var u32 = builder.uint32("u32");
    var i32 = builder.int32("i32");
    var f = builder.float64("f");
    var ts = builder.dateTime64("ts");
    var m = builder.map("m");
    var sa = builder.stringArray("sa");
    var ua = builder.uint64Array("ua");
    var fa = builder.float64Array("fa");
    var ta = builder.dateTime64Array("ta");
    var evTs = builder.dateTime64Array("Ev.Timestamp");
    var evName = builder.stringArray("Ev.Name");
    var evAttrs = builder.mapArray("Ev.Attributes");
    EncodedMap shared = new EncodedMap().put("shared", "yes").put("cut", "abcdef", 3);
    for (int i = from; i < from + count; i++) {
      id.add(i);
      s.add(SAMPLES[i % SAMPLES.length]);
      lc.add(("lc-" + (i % 3)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      u8.add(i % 256);
      b.add(i % 2 == 0);
      u32.add(4_000_000_000L + i);
      i32.add(-i);
      f.add(i * 0.25 - 3);
      ts.add(1_700_000_000_123_456_789L + i);
      if (i % 4 == 1) {
        m.putAll(shared);
      }
      for (int k = 0; k < i % 3; k++) {
        m.put("k" + k, SAMPLES[(i + k) % SAMPLES.length]);
      }
      m.endRow();
      for (int k = 0; k < i % 4; k++) {
        sa.add(SAMPLES[(i + k) % SAMPLES.length]);
        ua.add(k == 0 ? -1L : k);
        fa.add(k / 8.0);
        ta.add(1_600_000_000_000_000_001L + k);
      }
      sa.endRow();
      ua.endRow();
      fa.endRow();
      ta.endRow();
      for (int e = 0; e < i % 3; e++) {
        evTs.add(1_650_000_000_000_000_000L + e);
        evName.add("event-" + e);
        if (e == 1) {
          evAttrs.put("attempt", "ü" + i);
        }
        evAttrs.endElement();
      }
      evTs.endRow();
      evName.endRow();
      evAttrs.endRow();
    }
    return builder.build();
  }

  private List<JsonNode> readBack(String table) {
    String text = store.query(Sql.of("SELECT id, s, lc, u8, b, u32, i32, f, toUnixTimestamp64Nano(ts) AS ts, m, sa,"
        + " ua, fa, arrayMap(x -> toUnixTimestamp64Nano(x), ta) AS ta,"
        + " arrayMap(x -> toUnixTimestamp64Nano(x), Ev.Timestamp) AS evTs, Ev.Name AS evName,"
        + " Ev.Attributes AS evAttrs FROM enc." + table + " ORDER BY id"), "JSONEachRow").text();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        try {
          rows.add(JSON.readTree(line));
        } catch (Exception e) {
          throw new AssertionError(line, e);
        }
      }
    }
    return rows;
  }

  private static void assertRow(JsonNode row, int i) {
    assertThat(row.get("id").asText()).isEqualTo(Integer.toString(i));
    assertThat(row.get("s").asText()).isEqualTo(SAMPLES[i % SAMPLES.length]);
    assertThat(row.get("lc").asText()).isEqualTo("lc-" + (i % 3));
    assertThat(row.get("u8").asInt()).isEqualTo(i % 256);
    assertThat(row.get("b").asBoolean()).isEqualTo(i % 2 == 0);
    assertThat(row.get("u32").asLong()).isEqualTo(4_000_000_000L + i);
    assertThat(row.get("i32").asInt()).isEqualTo(-i);
    assertThat(row.get("f").asDouble()).isEqualTo(i * 0.25 - 3);
    assertThat(row.get("ts").asText()).isEqualTo(Long.toString(1_700_000_000_123_456_789L + i));
    JsonNode m = row.get("m");
    int expectedEntries = (i % 3) + (i % 4 == 1 ? 2 : 0);
    assertThat(m.size()).isEqualTo(expectedEntries);
    if (i % 4 == 1) {
      assertThat(m.get("shared").asText()).isEqualTo("yes");
      assertThat(m.get("cut").asText()).isEqualTo("abc");
    }
    for (int k = 0; k < i % 3; k++) {
      assertThat(m.get("k" + k).asText()).isEqualTo(SAMPLES[(i + k) % SAMPLES.length]);
    }
    int n = i % 4;
    assertThat(row.get("sa").size()).isEqualTo(n);
    for (int k = 0; k < n; k++) {
      assertThat(row.get("sa").get(k).asText()).isEqualTo(SAMPLES[(i + k) % SAMPLES.length]);
      assertThat(row.get("ua").get(k).asText()).isEqualTo(k == 0 ? Long.toUnsignedString(-1L) : Integer.toString(k));
      assertThat(row.get("fa").get(k).asDouble()).isEqualTo(k / 8.0);
      assertThat(row.get("ta").get(k).asText()).isEqualTo(Long.toString(1_600_000_000_000_000_001L + k));
    }
    int events = i % 3;
    assertThat(row.get("evTs").size()).isEqualTo(events);
    assertThat(row.get("evName").size()).isEqualTo(events);
    assertThat(row.get("evAttrs").size()).isEqualTo(events);
    for (int e = 0; e < events; e++) {
      assertThat(row.get("evTs").get(e).asText()).isEqualTo(Long.toString(1_650_000_000_000_000_000L + e));
      assertThat(row.get("evName").get(e).asText()).isEqualTo("event-" + e);
      if (e == 1) {
        assertThat(row.get("evAttrs").get(e).get("attempt").asText()).isEqualTo("ü" + i);
      } else {
        assertThat(row.get("evAttrs").get(e).size()).isZero();
      }
    }
  }

  @Test
  void everyColumnTypeRoundTrips() {
    String table = createTable();
    store.insert(table, List.of(block(0, 50)));
    List<JsonNode> rows = readBack(table);
    assertThat(rows).hasSize(50);
    for (int i = 0; i < rows.size(); i++) {
      assertRow(rows.get(i), i);
    }
  }

  @Test
  void manyRowsAndSeveralBlocksInOneInsert() {
    String table = createTable();
    store.insert(table, List.of(block(0, 30_000), block(30_000, 1), block(30_001, 19_999)));
    List<JsonNode> rows = readBack(table);
    assertThat(rows).hasSize(50_000);
    for (int i = 0; i < rows.size(); i += 997) {
      assertRow(rows.get(i), i);
    }
    assertRow(rows.get(30_000), 30_000);
    assertRow(rows.getLast(), 49_999);
  }

  @Test
  void blockHeaderNamesColumnsAndRows() {
    NativeBlock block = block(0, 3);
    assertThat(block.rows()).isEqualTo(3);
    assertThat(block.columns()).startsWith("id", "s", "lc").contains("Ev.Attributes");
    assertThat(block.data()[0]).isEqualTo((byte) 17);
    assertThat(block.data()[1]).isEqualTo((byte) 3);
  }

  @Test
  void rejectsRaggedColumnsAndDuplicateNames() {
    NativeBlockBuilder builder = new NativeBlockBuilder();
    builder.string("a").add("x");
    builder.uint8("b");
    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("b has 0 rows");
    assertThatThrownBy(() -> builder.string("a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void encodesStringsAsUtf8WithVarUIntLength() {
    ByteSink sink = new ByteSink(1);
    String longText = "é".repeat(100);
    sink.writeString(longText);
    byte[] bytes = sink.toByteArray();
    assertThat(bytes[0] & 0xFF).isEqualTo(0x80 | (200 & 0x7F));
    assertThat(bytes[1]).isEqualTo((byte) 1);
    assertThat(new String(bytes, 2, bytes.length - 2, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(longText);
    for (int chars : new int[] {41, 42, 43, 44}) {
      String wide = "€".repeat(chars);
      ByteSink exact = new ByteSink(1);
      exact.writeString(wide);
      exact.writeString(wide, chars - 1);
      byte[] encoded = exact.toByteArray();
      int first = chars * 3;
      int prefix = first < 128 ? 1 : 2;
      assertThat(encoded).hasSize(prefix + first + (first - 3 < 128 ? 1 : 2) + first - 3);
      assertThat(new String(encoded, prefix, first, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(wide);
    }
    sink.clear();
    sink.writeString("a\uD800b");
    assertThat(sink.toByteArray()).containsExactly(3, 'a', '?', 'b');
  }
}
