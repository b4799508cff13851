/** Exact SQL and parameters of ListServices and ListOperations queries. */
package com.kubetelemetry.query.traces;

import static com.kubetelemetry.query.traces.TraceFixtures.CATALOG;
import static com.kubetelemetry.query.traces.TraceFixtures.NOW;
import static com.kubetelemetry.query.traces.TraceFixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceCatalogCompilerTest {
  static final String BOUNDS = """
      FROM `otel`.`otel_traces`
      WHERE TenantId = {p0:String}
        AND Timestamp >= {p1:DateTime64(9)}
        AND Timestamp < {p2:DateTime64(9)}
      """;

  @Test
  void servicesOfTheDefaultHour() {
    Sql sql = CATALOG.services(TENANT, new ServiceListing(null, ""));
    assertThat(sql.text()).isEqualTo("SELECT ServiceName, count() AS SpanCount,"
        + " toUnixTimestamp64Nano(max(Timestamp)) AS LastSeenNanos\n" + BOUNDS + """
        GROUP BY ServiceName
        ORDER BY ServiceName
        LIMIT {p3:UInt32}""");
    assertThat(sql.params()).containsExactly(new Param("p0", "String", "acme"),
        new Param("p1", "DateTime64(9)", NOW.minusSeconds(3600)), new Param("p2", "DateTime64(9)", NOW),
        new Param("p3", "UInt32", 10_000));
  }

  @Test
  void servicesWithAPrefix() {
    Sql sql = CATALOG.services(TENANT, new ServiceListing(TimeRange.last("6h"), "pay"));
    assertThat(sql.text()).contains(BOUNDS + "  AND startsWith(ServiceName, {p3:String})\nGROUP BY ServiceName");
    assertThat(sql.params().get(1)).isEqualTo(new Param("p1", "DateTime64(9)", NOW.minusSeconds(6 * 3600)));
    assertThat(sql.params().get(3)).isEqualTo(new Param("p3", "String", "pay"));
  }

  @Test
  void operationsOfOneServiceAndKind() {
    Sql sql = CATALOG.operations(TENANT, new OperationListing("payment", null, SpanKind.CLIENT));
    assertThat(sql.text()).isEqualTo("SELECT SpanName, SpanKind, count() AS SpanCount\n" + BOUNDS + """
          AND ServiceName = {p3:String}
          AND SpanKind = {p4:String}
        GROUP BY SpanName, SpanKind
        ORDER BY SpanName, indexOf({p5:Array(String)}, SpanKind), SpanKind
        LIMIT {p6:UInt32}""");
    assertThat(sql.params()).containsExactly(new Param("p0", "String", "acme"),
        new Param("p1", "DateTime64(9)", NOW.minusSeconds(3600)), new Param("p2", "DateTime64(9)", NOW),
        new Param("p3", "String", "payment"), new Param("p4", "String", "Client"),
        new Param("p5", "Array(String)", List.of("Internal", "Server", "Client", "Producer", "Consumer")),
        new Param("p6", "UInt32", 10_000));
    assertThat(CATALOG.operations(TENANT, new OperationListing("payment", null, null)).text())
        .doesNotContain("SpanKind = ");
  }

  @Test
  void operationsNeedAService() {
    assertThatThrownBy(() -> CATALOG.operations(TENANT, new OperationListing("", null, null)))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("service_name"));
    assertThatThrownBy(() -> CATALOG.operations(TENANT, new OperationListing("x".repeat(1025), null, null)))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("service_name"));
    assertThatThrownBy(() -> CATALOG.services(TENANT, new ServiceListing(null, "x".repeat(1025))))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("prefix"));
  }
}
