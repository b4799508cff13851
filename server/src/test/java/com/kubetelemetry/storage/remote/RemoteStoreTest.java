/** The remote store through clickhouse-jdbc against the test HTTP endpoint over the real embedded engine. */
package com.kubetelemetry.storage.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.ResultStream;
import com.kubetelemetry.storage.StoreException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteStoreTest {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteStoreTest.class);

  private EmbeddedStore engine;
  private ClickHouseHttpEndpoint endpoint;
  private RemoteStore store;

  @BeforeAll
  void setUp(@TempDir Path dir) {
    engine = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "r"));
    engine.execute(List.of(Sql.of("CREATE DATABASE IF NOT EXISTS r")));
    endpoint = ClickHouseHttpEndpoint.start(engine);
    store = new RemoteStore(RemoteStoreOptions.of(endpoint.jdbcUrl("r"), "r"));
  }

  @AfterAll
  void tearDown() {
    store.close();
    endpoint.close();
    engine.close();
  }

  @Test
  void recordsWhatTheDriverSends() {
    store.query(Sql.of("SELECT {v:String} AS v", new Param("v", "String", "x")).withSetting("max_result_rows", "5"),
        "JSONCompactEachRow");
    List<ClickHouseHttpEndpoint.Request> requests = endpoint.requests();
    requests.forEach(r -> LOG.info("driver sent {} {} params={} headers={} statement={} body={} bytes",
        r.method(), r.path(), r.parameters(), r.headers(), r.statement(), r.bodyBytes()));
    ClickHouseHttpEndpoint.Request last = requests.getLast();
    assertThat(last.method()).isEqualTo("POST");
    assertThat(last.parameters()).containsEntry("param_v", "x");
    assertThat(last.statement()).contains("SELECT {v:String} AS v").contains("SETTINGS max_result_rows = 5");
  }

  @Test
  void returnsTheEngineBytesInTheAskedFormat() {
    Sql sql = Sql.of("SELECT {a:UInt64} + {b:Int32} AS s, {t:String} AS t, length({xs:Array(String)}) AS n",
        new Param("a", "UInt64", 40L), new Param("b", "Int32", 2), new Param("t", "String", "tab\there\\'q"),
        new Param("xs", "Array(String)", List.of("a'b", "c\\d")));
    for (String format : List.of("JSONCompactEachRow", "TSV", "RowBinary")) {
      assertThat(store.query(sql, format).data()).as(format).isEqualTo(engine.query(sql, format).data());
    }
    var result = store.query(sql, "JSONCompactEachRow");
    assertThat(result.text().strip()).isEqualTo("[42, \"tab\\there\\\\'q\", 2]");
    assertThat(result.rows()).isEqualTo(1);
  }

  @Test
  void mapsEngineErrorsToTheirCodes() {
    assertThatThrownBy(() -> store.query(Sql.of("SELECT * FROM r.no_such_table"), "TSV"))
        .isInstanceOfSatisfying(StoreException.class, e -> {
          assertThat(e.code()).isEqualTo(60);
          assertThat(e.getMessage()).contains("no_such_table");
        });
    assertThatThrownBy(() -> store.query(Sql.of("SELECT number FROM numbers(10)")
        .withSetting("max_result_rows", "2"), "TSV"))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(396));
  }

  @Test
  void streamsLargeResultsInChunks() {
    long bytes = 0;
    int chunks = 0;
    try (ResultStream stream = store.stream(Sql.of("SELECT number FROM numbers(300000)"), "RowBinary")) {
      for (byte[] chunk = stream.next(); chunk != null; chunk = stream.next()) {
        bytes += chunk.length;
        chunks++;
      }
    }
    assertThat(bytes).isEqualTo(300_000L * 8);
    assertThat(chunks).isGreaterThan(1);
  }

  @Test
  void insertsNativeBlocksAsOneInsert() {
    store.execute(List.of(Sql.of("CREATE TABLE IF NOT EXISTS r.ins (id UInt64, name LowCardinality(String), "
        + "`attrs.key` Array(String)) ENGINE = MergeTree ORDER BY id")));
    NativeBlock first = nativeBlock("SELECT number AS id, toString(number) AS name, [toString(number)] AS `attrs.key`"
        + " FROM numbers(0, 1000)", 1000);
    NativeBlock second = nativeBlock("SELECT number AS id, toString(number) AS name, [toString(number)] AS `attrs.key`"
        + " FROM numbers(1000, 500)", 500);
    store.insert("ins", List.of(first, second));
    ClickHouseHttpEndpoint.Request sent = endpoint.requests().getLast();
    LOG.info("driver sent for the insert: {}", sent);
    assertThat(sent.parameters()).containsEntry("distributed_foreground_insert", "1");
    assertThat(sent.bodyBytes()).isEqualTo(first.data().length + second.data().length);
    assertThat(store.query(Sql.of("SELECT count(), sum(id), countIf(`attrs.key`[1] = name) FROM r.ins"), "TSV")
        .text().strip()).isEqualTo("1500\t" + (1500L * 1499L / 2) + "\t1500");
    assertThatThrownBy(() -> store.insert("ins; DROP TABLE r.ins", List.of(first)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retriesReadsButNeverInserts() {
    store.execute(List.of(Sql.of("CREATE TABLE IF NOT EXISTS r.once (id UInt64) ENGINE = MergeTree ORDER BY id")));
    endpoint.refuseNext(2);
    assertThat(store.query(Sql.of("SELECT count() FROM r.once"), "TSV").text().strip()).isEqualTo("0");
    int before = endpoint.requests().size();
    endpoint.refuseNext(1);
    NativeBlock block = nativeBlock("SELECT number AS id FROM numbers(3)", 3);
    assertThatThrownBy(() -> store.insert("once", List.of(block)))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.code()).isEqualTo(202));
    assertThat(endpoint.requests().size() - before).as("one insert request, not retried").isEqualTo(1);
    endpoint.refuseNext(3);
    assertThatThrownBy(() -> store.query(Sql.of("SELECT 1"), "TSV"))
        .as("two retries, then the failure").isInstanceOf(StoreException.class);
    assertThat(store.query(Sql.of("SELECT count() FROM r.once"), "TSV").text().strip()).isEqualTo("0");
  }

  @Test
  void reportsVersionKindAndHealth() {
    assertThat(store.engineVersion()).isEqualTo(engine.engineVersion());
    assertThat(store.kind()).isEqualTo("remote");
    assertThat(store.isHealthy()).isTrue();
  }

  private NativeBlock nativeBlock(String select, int rows) {
    byte[] data = engine.query(Sql.of(select), "Native").data();
    List<String> columns = new ArrayList<>();
    for (String line : engine.query(Sql.of("DESCRIBE (" + select + ")"), "TSV").text().split("\n")) {
      if (!line.isBlank()) {
        columns.add(line.split("\t")[0]);
      }
    }
    return new NativeBlock(columns, rows, data);
  }
}
