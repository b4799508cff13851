/** Exact SQL and parameters of compiled catalog listings, and their validation errors. */
package com.kubetelemetry.query.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogCompilerTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final CatalogCompiler COMPILER = new CatalogCompiler(new SchemaOptions("otel", 0, 0, 0),
      TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC)), QueryLimits.defaults());
  static final TenantId TENANT = new TenantId("acme");
  static final Param START = new Param("p0", "DateTime64(9)", NOW.minusSeconds(3600));
  static final Param END = new Param("p1", "DateTime64(9)", NOW);
  static final Param TENANT_PARAM = new Param("p2", "String", "acme");

  static final String WINDOW = """
      WHERE TenantId = {p2:String}
        AND Hour >= toStartOfHour({p0:DateTime64(9)})
        AND Hour < {p1:DateTime64(9)}
        AND LastSeen >= {p0:DateTime64(9)}
        AND FirstSeen < {p1:DateTime64(9)}
      """;

  static final String METRICS_HEAD = """
      SELECT
          MetricName,
          toInt8(MetricType) AS Type,
          argMaxMerge(Unit) AS UnitText,
          argMaxMerge(Description) AS DescriptionText,
          argMaxMerge(Temporality) AS TemporalityNumber,
          argMaxMerge(Monotonic) AS IsMonotonic,
          arraySlice(arraySort(groupUniqArray(ServiceName)), 1, 100) AS ServiceNames,
          toUnixTimestamp64Nano(max(LastSeen)) AS LastSeenNanos
      FROM `otel`.`metrics_catalog`
      """ + WINDOW;

  @Test
  void allMetricsOfTheDefaultHourByName() {
    Sql sql = COMPILER.metrics(TENANT, MetricListing.all());
    assertThat(sql.text()).isEqualTo(METRICS_HEAD + """
        GROUP BY MetricName, MetricType
        ORDER BY MetricName, Type
        LIMIT {p3:UInt32}""");
    assertThat(sql.params()).containsExactly(START, END, TENANT_PARAM, new Param("p3", "UInt32", 101));
    assertThat(sql.settings()).containsEntry("readonly", "1").containsEntry("max_execution_time", "30").hasSize(5);
  }

  @Test
  void everyMetricFilterAndAPagePosition() {
    Sql sql = COMPILER.metrics(TENANT, MetricListing.all().withNamePrefix("http.").withServiceName("checkout")
        .withKind(MetricKind.HISTOGRAM).withPageSize(5000)
        .withAfter(new MetricListing.Position("http.a", MetricKind.SUM))
        .withTimeRange(TimeRange.between(NOW.minusSeconds(86_400), NOW.minusSeconds(60))));
    assertThat(sql.text()).isEqualTo(METRICS_HEAD + """
          AND startsWith(MetricName, {p3:String})
          AND MetricType = {p4:String}
          AND (MetricName, toInt8(MetricType)) > ({p5:String}, {p6:Int8})
        GROUP BY MetricName, MetricType
        HAVING countIf(ServiceName = {p7:String}) > 0
        ORDER BY MetricName, Type
        LIMIT {p8:UInt32}""");
    assertThat(sql.params()).containsExactly(new Param("p0", "DateTime64(9)", NOW.minusSeconds(86_400)),
        new Param("p1", "DateTime64(9)", NOW.minusSeconds(60)), TENANT_PARAM, new Param("p3", "String", "http."),
        new Param("p4", "String", "histogram"), new Param("p5", "String", "http.a"), new Param("p6", "Int8", 2),
        new Param("p7", "String", "checkout"), new Param("p8", "UInt32", 1001));
  }

  @Test
  void keysOfOneMetricWithAPrefix() {
    Sql sql = COMPILER.keys(TENANT, AttributeListing.of(AttributeSource.RESOURCE).withMetricName("cpu")
        .withPrefix("k8s.").withLimit(10));
    assertThat(sql.text()).isEqualTo("""
        SELECT
            Key,
            uniqMerge(Series) AS SeriesCount
        FROM `otel`.`metrics_attribute_catalog`
        """ + WINDOW + """
          AND Entry = 'key'
          AND Source = 'resource'
          AND MetricName = {p3:String}
          AND startsWith(Key, {p4:String})
        GROUP BY Key
        ORDER BY SeriesCount DESC, Key
        LIMIT {p5:UInt32}""");
    assertThat(sql.params()).containsExactly(START, END, TENANT_PARAM, new Param("p3", "String", "cpu"),
        new Param("p4", "String", "k8s."), new Param("p5", "UInt32", 11));
  }

  @Test
  void keysOfAnyMetricWithoutPrefix() {
    Sql sql = COMPILER.keys(TENANT, AttributeListing.of(AttributeSource.POINT).withMetricName("").withPrefix(""));
    assertThat(sql.text()).contains("  AND Source = 'point'\nGROUP BY Key").doesNotContain("MetricName");
    assertThat(sql.params()).hasSize(4).last().isEqualTo(new Param("p3", "UInt32", 101));
  }

  @Test
  void valuesFromTheCatalogAreCappedPerCall() {
    Sql sql = COMPILER.values(TENANT, AttributeListing.of(AttributeSource.SCOPE).withKey("lib")
        .withMetricName("cpu").withPrefix("o"));
    assertThat(sql.text()).isEqualTo("""
        SELECT
            Value,
            uniqMerge(Series) AS SeriesCount,
            count() OVER () AS DistinctValues
        FROM `otel`.`metrics_attribute_catalog`
        """ + WINDOW + """
          AND Entry = 'value'
          AND Source = 'scope'
          AND Key = {p3:String}
          AND MetricName = {p4:String}
          AND startsWith(Value, {p5:String})
        GROUP BY Value
        ORDER BY SeriesCount DESC, Value
        LIMIT {p6:UInt32}""");
    assertThat(sql.params()).containsExactly(START, END, TENANT_PARAM, new Param("p3", "String", "lib"),
        new Param("p4", "String", "cpu"), new Param("p5", "String", "o"), new Param("p6", "UInt32", 101));
    assertThat(sql.settings()).containsEntry("max_rows_to_group_by", "10000")
        .containsEntry("group_by_overflow_mode", "'any'").containsEntry("readonly", "1");
  }

  @Test
  void valuesNarrowedByMatchersReadThePointsOfEveryMetricsTable() {
    Sql sql = COMPILER.values(TENANT, AttributeListing.of(AttributeSource.RESOURCE).withKey("k8s.pod.name")
        .withMatchers(List.of(AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.EQ, "prod"))));
    String text = sql.text();
    assertThat(text).startsWith("""
        SELECT
            Value,
            uniq(SeriesHash) AS SeriesCount,
            count() OVER () AS DistinctValues
        FROM (
            SELECT ResourceAttributes[{p3:String}] AS Value,
                cityHash64(MetricName, ServiceName, ResourceAttributes, ScopeName, ScopeAttributes, Attributes) AS SeriesHash
            FROM `otel`.`otel_metrics_gauge`
            WHERE TenantId = {p0:String}
              AND TimeUnix >= {p1:DateTime64(9)}
              AND TimeUnix < {p2:DateTime64(9)}
              AND mapContains(ResourceAttributes, {p3:String})
              AND ResourceAttributes[{p4:String}] = {p5:String}
            UNION ALL
        """).endsWith("""
            )
            WHERE length(Value) <= 256
            GROUP BY Value
            ORDER BY SeriesCount DESC, Value
            LIMIT {p14:UInt32}""").doesNotContain("metrics_attribute_catalog");
    for (String table : List.of("gauge", "sum", "histogram", "exp_histogram", "summary")) {
      assertThat(text).containsOnlyOnce("FROM `otel`.`otel_metrics_" + table + "`\n");
    }
    assertThat(sql.params()).hasSize(15);
  }

  @Test
  void invalidRequestsNameTheField() {
    assertThatThrownBy(() -> COMPILER.values(TENANT, AttributeListing.of(AttributeSource.POINT)))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("key"))
        .hasMessageContaining("`key` is required");
    assertThatThrownBy(() -> COMPILER.values(TENANT, AttributeListing.of(AttributeSource.POINT).withKey("x".repeat(257))))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("key"));
    assertThatThrownBy(() -> COMPILER.keys(TENANT, AttributeListing.of(AttributeSource.POINT).withLimit(-1)))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("limit"));
    assertThatThrownBy(() -> COMPILER.metrics(TENANT, MetricListing.all().withPageSize(-5)))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("page.page_size"));
    assertThatThrownBy(() -> COMPILER.metrics(TENANT, MetricListing.all().withNamePrefix("n".repeat(1025))))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("name_prefix"));
    assertThatThrownBy(() -> COMPILER.keys(TENANT, AttributeListing.of(AttributeSource.POINT)
        .withTimeRange(TimeRange.last("40d"))))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind())
            .isEqualTo(QueryException.Kind.RESOURCE_EXHAUSTED));
    assertThatThrownBy(() -> COMPILER.values(TENANT, AttributeListing.of(AttributeSource.POINT).withKey("k")
        .withMatchers(List.of(AttributeMatcher.of(Target.COLUMN, "span_name", Op.EQ, "x")))))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("matchers[0].key"));
  }

  @Test
  void metricKindsUseTheApiNumbers() {
    assertThat(MetricKind.ofNumber(1)).contains(MetricKind.GAUGE);
    assertThat(MetricKind.ofNumber(4)).contains(MetricKind.EXPONENTIAL_HISTOGRAM);
    assertThat(MetricKind.ofNumber(0)).isEmpty();
    assertThat(MetricKind.ofNumber(6)).isEmpty();
  }
}
