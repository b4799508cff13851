/** Scratch probe. */
package com.kubetelemetry.scratch;

import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.schema.SchemaMigrator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeTest {
  @Test
  void probe(@TempDir Path dir) {
    SchemaOptions schema = new SchemaOptions("p", 0, 0, 0);
    try (EmbeddedStore store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"))) {
      new SchemaMigrator(store, schema).migrate();
      store.execute(List.of(Sql.of("INSERT INTO p.otel_logs (TenantId, Timestamp, Body, LogAttributes) SELECT 'a', now64(9) - number, concat('Hello World-x ', toString(number), ' \u212Ab end'), map('k', toString(number)) FROM numbers(100000)")));
      String[] qs = {
        "EXPLAIN indexes = 1 SELECT count() FROM p.otel_logs WHERE lower(Body) LIKE '%o nothere-x%'",
        "EXPLAIN indexes = 1 SELECT count() FROM p.otel_logs WHERE lower(Body) LIKE {l:String}",
        "SELECT count() FROM p.otel_logs WHERE lower(Body) LIKE {l:String}",
        "SELECT 'a%b_c\\\\d' LIKE {m:String}, 'a%b_c\\\\d' LIKE {n:String}, 'axbyc' LIKE {n:String}",
      };
      for (String q : qs) {
        try {
          System.out.println("Q: " + q + "\n" + store.query(new Sql(q, List.of(new Param("t", "String", List.of("world", "nothere")), new Param("e", "Array(String)", List.of()), new Param("l", "String", "%o nothere-x%"), new Param("m", "String", "%a\\%b\\_c\\\\d%"), new Param("n", "String", "a\\%b\\_c%")).stream().filter(p -> q.contains("{" + p.name() + ":")).map(p -> p.name().equals("t") ? new Param("t", "Array(String)", p.value()) : p).toList(), java.util.Map.of()), "TSV").text());
        } catch (RuntimeException e) {
          System.out.println("Q: " + q + "\nERR " + e.getMessage());
        }
      }
    }
  }
}
