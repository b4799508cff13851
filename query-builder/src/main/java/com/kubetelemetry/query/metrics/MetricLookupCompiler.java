/** Compiles the statement that finds which table holds a metric, with its temporality, monotonicity and unit. */
package com.kubetelemetry.query.metrics;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.metrics.MetricShape.MetricKind;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.time.Instant;
import java.util.Objects;

/**
 * One row per table that has a point of the metric in the period: Kind (the {@link MetricKind#code()}),
 * Temporality (OTLP numbering: 1 delta, 2 cumulative, 0 none), Monotonic (0/1) and Unit of one of its points,
 * ordered by Kind. Each branch stops at the first point it finds, so the lookup reads little.
 */
public final class MetricLookupCompiler {
  private final SchemaOptions schema;
  private final QueryLimits limits;

  public MetricLookupCompiler(SchemaOptions schema, QueryLimits limits) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** The lookup of {@code metricName} among the tenant's points in [start, end). */
  public Sql compile(TenantId tenant, String metricName, Instant start, Instant end) {
    MetricQueryCompiler.checkName(metricName);
    SqlBuilder sql = new SqlBuilder();
    String tenantParam = sql.param("String", tenant.tenant());
    String nameParam = sql.param("String", metricName);
    String startParam = sql.param("DateTime64(9)", start);
    String endParam = sql.param("DateTime64(9)", end);
    sql.line("SELECT Kind, Temporality, Monotonic, Unit")
        .line("FROM (");
    MetricKind[] kinds = {MetricKind.GAUGE, MetricKind.SUM, MetricKind.HISTOGRAM, MetricKind.EXP_HISTOGRAM,
        MetricKind.SUMMARY};
    for (int i = 0; i < kinds.length; i++) {
      MetricKind kind = kinds[i];
      String temporality = switch (kind) {
        case GAUGE, SUMMARY -> "toInt32(0)";
        default -> "AggregationTemporality";
      };
      String monotonic = kind == MetricKind.SUM ? "toUInt8(IsMonotonic)" : "toUInt8(0)";
      sql.line("    " + (i == 0 ? "" : "UNION ALL ") + "SELECT * FROM (SELECT toUInt8(" + kind.code()
              + ") AS Kind, " + temporality + " AS Temporality, " + monotonic + " AS Monotonic, MetricUnit AS Unit")
          .line("    FROM " + schema.qualified(kind.table().table()))
          .line("    WHERE TenantId = " + tenantParam + " AND MetricName = " + nameParam)
          .line("      AND TimeUnix >= " + startParam + " AND TimeUnix < " + endParam)
          .line("    LIMIT 1)");
    }
    sql.line(")")
        .line("ORDER BY Kind");
    return sql.build(limits);
  }
}
