/** Compiles the ListServices and ListOperations requests: span counts per service, or per name and kind. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.util.Objects;

/**
 * Both read only the sort-key prefix (TenantId, ServiceName, SpanName) and Timestamp, so the engine reads few
 * columns and, for operations of one service, only that service's key range.
 *
 * <p>Services: 0 ServiceName, 1 SpanCount, 2 LastSeenNanos (Int64), sorted by name. Operations: 0 SpanName,
 * 1 SpanKind, 2 SpanCount, sorted by name then kind in API enum order. Each returns at most {@link #MAX_ROWS}.
 */
public final class ServiceCatalogCompiler {
  public static final int MAX_ROWS = 10_000;

  private final SchemaOptions schema;
  private final TimeRangeResolver ranges;
  private final QueryLimits limits;

  public ServiceCatalogCompiler(SchemaOptions schema, TimeRangeResolver ranges, QueryLimits limits) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ranges = Objects.requireNonNull(ranges, "ranges");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public Sql services(TenantId tenant, ServiceListing listing) {
    Objects.requireNonNull(tenant, "tenant");
    TimeWindow window = ranges.resolve(listing.timeRange());
    SqlBuilder sql = new SqlBuilder();
    sql.line("SELECT ServiceName, count() AS SpanCount, toUnixTimestamp64Nano(max(Timestamp)) AS LastSeenNanos");
    bounded(sql, tenant, window);
    String prefix = listing.prefix();
    if (prefix != null && !prefix.isEmpty()) {
      sql.line("  AND startsWith(ServiceName, " + sql.param("String", RequestChecks.name(prefix, "prefix")) + ")");
    }
    return sql.line("GROUP BY ServiceName")
        .line("ORDER BY ServiceName")
        .line("LIMIT " + sql.param("UInt32", MAX_ROWS))
        .build(limits);
  }

  public Sql operations(TenantId tenant, OperationListing listing) {
    Objects.requireNonNull(tenant, "tenant");
    String service = listing.service();
    if (service == null || service.isEmpty()) {
      throw RequestChecks.invalid("service_name", "`service_name` is empty: name the service whose operations "
          + "to list (ListServices gives the names)");
    }
    TimeWindow window = ranges.resolve(listing.timeRange());
    SqlBuilder sql = new SqlBuilder();
    sql.line("SELECT SpanName, SpanKind, count() AS SpanCount");
    bounded(sql, tenant, window);
    sql.line("  AND ServiceName = " + sql.param("String", RequestChecks.name(service, "service_name")));
    if (listing.kind() != null) {
      sql.line("  AND SpanKind = " + sql.param("String", listing.kind().stored()));
    }
    return sql.line("GROUP BY SpanName, SpanKind")
        .line("ORDER BY SpanName, indexOf(" + sql.param("Array(String)", SpanKind.STORED_ORDER) + ", SpanKind),"
            + " SpanKind")
        .line("LIMIT " + sql.param("UInt32", MAX_ROWS))
        .build(limits);
  }

  private void bounded(SqlBuilder sql, TenantId tenant, TimeWindow window) {
    sql.line("FROM " + schema.qualified(SignalTable.TRACES.table()))
        .line("WHERE TenantId = " + sql.param("String", tenant.tenant()))
        .line("  AND Timestamp >= " + sql.param("DateTime64(9)", window.start()))
        .line("  AND Timestamp < " + sql.param("DateTime64(9)", window.end()));
  }
}
