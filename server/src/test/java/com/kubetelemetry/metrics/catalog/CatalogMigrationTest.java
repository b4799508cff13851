/** Schema version 2 on the real engine: rows written before it are back-filled, and re-running it changes nothing. */
package com.kubetelemetry.metrics.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.schema.OtelSchema;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.schema.SchemaMigrator;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogMigrationTest {
  private static final String METRICS = "SELECT MetricName, MetricType, ServiceName, finalizeAggregation(Unit),"
      + " finalizeAggregation(Description), toString(LastSeen) FROM `backfill`.`metrics_catalog` FINAL"
      + " ORDER BY ALL";
  private static final String ATTRIBUTES = "SELECT Entry, Source, Key, MetricName, Value, uniqMerge(Series)"
      + " FROM `backfill`.`metrics_attribute_catalog` GROUP BY ALL ORDER BY ALL";

  @Test
  void rowsWrittenBeforeVersionTwoAreBackfilledAndARerunChangesNoAnswer(@TempDir Path dir) {
    try (EmbeddedStore store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"))) {
      SchemaOptions options = new SchemaOptions("backfill", 0, 0, 0);
      store.execute(OtelSchema.migrations(options).getFirst().statements());
      Instant t = Instant.parse("2026-11-20T10:15:00.123456789Z");
      insertSum(store, "acme", "checkout", "/cart", t);
      insertSum(store, "acme", "checkout", "/pay", t.plusSeconds(30));
      insertSum(store, "globex", "vault", "/" + "x".repeat(300), t.plusSeconds(60));

      assertThat(new SchemaMigrator(store, options).migrate().appliedVersions()).startsWith(1, 2);
      String metrics = text(store, METRICS);
      String attributes = text(store, ATTRIBUTES);
      assertThat(metrics).isEqualTo("""
          requests\tsum\tcheckout\t{request}\tcalls\t2026-11-20 10:15:30.123456789
          requests\tsum\tvault\t{request}\tcalls\t2026-11-20 10:16:00.123456789""");
      assertThat(attributes).isEqualTo("""
          key\tresource\tservice.name\trequests\t\t3
          key\tpoint\troute\trequests\t\t3
          value\tresource\tservice.name\trequests\tcheckout\t2
          value\tresource\tservice.name\trequests\tvault\t1
          value\tpoint\troute\trequests\t/cart\t1
          value\tpoint\troute\trequests\t/pay\t1""");

      // As if a start-up died after the back-fill but before recording version 2: it runs again.
      store.execute(OtelSchema.migrations(options).get(1).statements());
      assertThat(text(store, METRICS)).isEqualTo(metrics);
      assertThat(text(store, ATTRIBUTES)).isEqualTo(attributes);

      // New rows reach the catalogs through the views.
      insertSum(store, "acme", "cart", "/cart", t.plusSeconds(90));
      assertThat(text(store, METRICS)).contains("requests\tsum\tcart\t{request}\tcalls\t2026-11-20 10:16:30");
      assertThat(text(store, ATTRIBUTES)).contains("value\tpoint\troute\trequests\t/cart\t2");
    }
  }

  private static void insertSum(EmbeddedStore store, String tenant, String service, String route, Instant time) {
    store.execute(List.of(Sql.of("INSERT INTO `backfill`.`otel_metrics_sum` (TenantId, ServiceName, MetricName,"
            + " MetricUnit, MetricDescription, ResourceAttributes, Attributes, TimeUnix, Value,"
            + " AggregationTemporality, IsMonotonic) VALUES ({tenant:String}, {service:String}, 'requests',"
            + " '{request}', 'calls', map('service.name', {service:String}), map('route', {route:String}),"
            + " {time:DateTime64(9)}, 1, 2, true)",
        new Param("tenant", "String", tenant), new Param("service", "String", service),
        new Param("route", "String", route), new Param("time", "DateTime64(9)", time))));
  }

  private static String text(EmbeddedStore store, String sql) {
    return store.query(Sql.of(sql), "TSV").text().strip();
  }
}
