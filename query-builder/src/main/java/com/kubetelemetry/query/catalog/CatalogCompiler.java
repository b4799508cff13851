/** Compiles ListMetrics, ListAttributeKeys and ListAttributeValues into queries on the metric catalogs. */
package com.kubetelemetry.query.catalog;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.MatcherPredicate;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.schema.MetricCatalogDdl;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.util.List;
import java.util.Objects;

/**
 * The catalogs are bucketed by hour; a bucket is read when it overlaps the range and has points on both sides of
 * neither end (FirstSeen before the end, LastSeen at or after the start), so answers are exact at the range's
 * ends unless a bucket has points before and after the range but none inside it. Each query fetches one row
 * more than asked, so the caller can tell whether there are more.
 * <ul>
 *   <li>metrics: MetricName, Type (API number), Unit, Description, Temporality (API number), IsMonotonic,
 *   ServiceNames (sorted, at most 100), LastSeenNanos; ordered by name, then type.</li>
 *   <li>keys: Key, SeriesCount; most series first, then by key.</li>
 *   <li>values: Value, SeriesCount, DistinctValues (values matched before the limit, at most
 *   {@link #MAX_DISTINCT_VALUES}); most series first, then by value.</li>
 * </ul>
 * Values narrowed by matchers are read from the data points of the five metrics tables instead of the catalog.
 */
public final class CatalogCompiler {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  public static final int MAX_SERVICES = 100;
  /** Distinct values one ListAttributeValues call aggregates before it stops adding new ones. */
  public static final int MAX_DISTINCT_VALUES = 10_000;
  public static final int MAX_TEXT_LENGTH = 1024;
  public static final int MAX_MATCHERS = 32;

  private static final List<SignalTable> METRIC_TABLES = List.of(SignalTable.METRICS_GAUGE, SignalTable.METRICS_SUM,
      SignalTable.METRICS_HISTOGRAM, SignalTable.METRICS_EXP_HISTOGRAM, SignalTable.METRICS_SUMMARY);

  private final SchemaOptions schema;
  private final TimeRangeResolver ranges;
  private final QueryLimits limits;

  public CatalogCompiler(SchemaOptions schema, TimeRangeResolver ranges, QueryLimits limits) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ranges = Objects.requireNonNull(ranges, "ranges");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** ListMetrics: one row per metric name and type, {@code pageSize + 1} rows at most. */
  public Sql metrics(TenantId tenant, MetricListing listing) {
    Objects.requireNonNull(tenant, "tenant");
    TimeWindow window = ranges.resolve(listing.timeRange());
    int pageSize = size(listing.pageSize(), "page.page_size");
    SqlBuilder sql = new SqlBuilder();
    sql.line("SELECT")
        .line("    MetricName,")
        .line("    toInt8(MetricType) AS Type,")
        .line("    argMaxMerge(Unit) AS UnitText,")
        .line("    argMaxMerge(Description) AS DescriptionText,")
        .line("    argMaxMerge(Temporality) AS TemporalityNumber,")
        .line("    argMaxMerge(Monotonic) AS IsMonotonic,")
        .line("    arraySlice(arraySort(groupUniqArray(ServiceName)), 1, " + MAX_SERVICES + ") AS ServiceNames,")
        .line("    toUnixTimestamp64Nano(max(LastSeen)) AS LastSeenNanos")
        .line("FROM " + schema.qualified(MetricCatalogDdl.METRIC_CATALOG));
    catalogWindow(sql, tenant, window);
    if (present(listing.namePrefix())) {
      sql.line("  AND startsWith(MetricName, " + sql.param("String", text(listing.namePrefix(), "name_prefix")) + ")");
    }
    if (listing.kind() != null) {
      sql.line("  AND MetricType = " + sql.param("String", listing.kind().stored()));
    }
    MetricListing.Position after = listing.after();
    if (after != null) {
      sql.line("  AND (MetricName, toInt8(MetricType)) > (" + sql.param("String", after.name()) + ", "
          + sql.param("Int8", after.kind().number()) + ")");
    }
    sql.line("GROUP BY MetricName, MetricType");
    if (present(listing.serviceName())) {
      sql.line("HAVING countIf(ServiceName = " + sql.param("String", text(listing.serviceName(), "service_name"))
          + ") > 0");
    }
    sql.line("ORDER BY MetricName, Type")
        .line("LIMIT " + sql.param("UInt32", pageSize + 1));
    return sql.build(limits);
  }

  /** ListAttributeKeys: keys of one attribute map with the number of series carrying them. */
  public Sql keys(TenantId tenant, AttributeListing listing) {
    Objects.requireNonNull(tenant, "tenant");
    TimeWindow window = ranges.resolve(listing.timeRange());
    int limit = size(listing.limit(), "limit");
    SqlBuilder sql = new SqlBuilder();
    sql.line("SELECT")
        .line("    Key,")
        .line("    uniqMerge(Series) AS SeriesCount")
        .line("FROM " + schema.qualified(MetricCatalogDdl.ATTRIBUTE_CATALOG));
    catalogWindow(sql, tenant, window);
    sql.line("  AND Entry = 'key'")
        .line("  AND Source = '" + listing.source().stored() + "'");
    if (present(listing.metricName())) {
      sql.line("  AND MetricName = " + sql.param("String", text(listing.metricName(), "metric_name")));
    }
    if (present(listing.prefix())) {
      sql.line("  AND startsWith(Key, " + sql.param("String", text(listing.prefix(), "prefix")) + ")");
    }
    sql.line("GROUP BY Key")
        .line("ORDER BY SeriesCount DESC, Key")
        .line("LIMIT " + sql.param("UInt32", limit + 1));
    return sql.build(limits);
  }

  /** ListAttributeValues: values of one key, from the catalog, or from the points when matchers are given. */
  public Sql values(TenantId tenant, AttributeListing listing) {
    Objects.requireNonNull(tenant, "tenant");
    TimeWindow window = ranges.resolve(listing.timeRange());
    int limit = size(listing.limit(), "limit");
    if (!present(listing.key())) {
      throw invalid("key", "`key` is required: name the attribute whose values to list");
    }
    if (listing.key().length() > MatcherPredicate.MAX_KEY_LENGTH) {
      throw invalid("key", "`key` is " + listing.key().length() + " characters; the maximum is "
          + MatcherPredicate.MAX_KEY_LENGTH);
    }
    String key = listing.key();
    if (listing.matchers().size() > MAX_MATCHERS) {
      throw invalid("matchers", "request has " + listing.matchers().size() + " matchers; the maximum is "
          + MAX_MATCHERS);
    }
    SqlBuilder sql = new SqlBuilder();
    sql.line("SELECT")
        .line("    Value,")
        .line(listing.matchers().isEmpty() ? "    uniqMerge(Series) AS SeriesCount,"
            : "    uniq(SeriesHash) AS SeriesCount,")
        .line("    count() OVER () AS DistinctValues");
    if (listing.matchers().isEmpty()) {
      sql.line("FROM " + schema.qualified(MetricCatalogDdl.ATTRIBUTE_CATALOG));
      catalogWindow(sql, tenant, window);
      sql.line("  AND Entry = 'value'")
          .line("  AND Source = '" + listing.source().stored() + "'")
          .line("  AND Key = " + sql.param("String", key));
      if (present(listing.metricName())) {
        sql.line("  AND MetricName = " + sql.param("String", text(listing.metricName(), "metric_name")));
      }
    } else {
      pointValues(sql, tenant, window, listing, key);
    }
    if (present(listing.prefix())) {
      sql.line("  AND startsWith(Value, " + sql.param("String", text(listing.prefix(), "prefix")) + ")");
    }
    sql.line("GROUP BY Value")
        .line("ORDER BY SeriesCount DESC, Value")
        .line("LIMIT " + sql.param("UInt32", limit + 1));
    return sql.build(limits).withSetting("max_rows_to_group_by", Integer.toString(MAX_DISTINCT_VALUES))
        .withSetting("group_by_overflow_mode", "'any'");
  }

  /** FROM the union of the five metrics tables' points carrying the key and passing every matcher. */
  private void pointValues(SqlBuilder sql, TenantId tenant, TimeWindow window, AttributeListing listing, String key) {
    String tenantParam = sql.param("String", tenant.tenant());
    String start = sql.param("DateTime64(9)", window.start());
    String end = sql.param("DateTime64(9)", window.end());
    String keyParam = sql.param("String", key);
    String metric = present(listing.metricName())
        ? sql.param("String", text(listing.metricName(), "metric_name")) : null;
    sql.line("FROM (");
    for (int t = 0; t < METRIC_TABLES.size(); t++) {
      SignalTable table = METRIC_TABLES.get(t);
      String map = switch (listing.source()) {
        case RESOURCE -> SignalTable.RESOURCE_MAP;
        case SCOPE -> table.scopeMap();
        case POINT -> table.itemMap();
      };
      if (t > 0) {
        sql.line("    UNION ALL");
      }
      sql.line("    SELECT " + map + "[" + keyParam + "] AS Value,")
          .line("        cityHash64(MetricName, ServiceName, ResourceAttributes, ScopeName, ScopeAttributes,"
              + " Attributes) AS SeriesHash")
          .line("    FROM " + schema.qualified(table.table()))
          .line("    WHERE TenantId = " + tenantParam)
          .line("      AND TimeUnix >= " + start)
          .line("      AND TimeUnix < " + end)
          .line("      AND mapContains(" + map + ", " + keyParam + ")");
      if (metric != null) {
        sql.line("      AND MetricName = " + metric);
      }
      List<AttributeMatcher> matchers = listing.matchers();
      for (int i = 0; i < matchers.size(); i++) {
        sql.line("      AND " + MatcherPredicate.render(matchers.get(i), table, "matchers[" + i + "]", sql));
      }
    }
    sql.line(")")
        .line("WHERE length(Value) <= " + MetricCatalogDdl.MAX_TEXT_LENGTH);
  }

  /** WHERE on tenant and time for either catalog. */
  private static void catalogWindow(SqlBuilder sql, TenantId tenant, TimeWindow window) {
    String start = sql.param("DateTime64(9)", window.start());
    String end = sql.param("DateTime64(9)", window.end());
    sql.line("WHERE TenantId = " + sql.param("String", tenant.tenant()))
        .line("  AND Hour >= toStartOfHour(" + start + ")")
        .line("  AND Hour < " + end)
        .line("  AND LastSeen >= " + start)
        .line("  AND FirstSeen < " + end);
  }

  private static boolean present(String s) {
    return s != null && !s.isEmpty();
  }

  private static String text(String value, String field) {
    if (value.length() > MAX_TEXT_LENGTH) {
      throw invalid(field, "`" + field + "` is " + value.length() + " characters; the maximum is " + MAX_TEXT_LENGTH);
    }
    return value;
  }

  /** The number of rows a page or limit of {@code requested} returns: 0 gives the default; above the maximum is
   * lowered to it; negative is rejected naming {@code field}. The compiled queries fetch one row more. */
  public static int size(int requested, String field) {
    if (requested < 0) {
      throw invalid(field, "`" + field + "` is " + requested + "; use 1 to " + MAX_LIMIT + " (0 for the default of "
          + DEFAULT_LIMIT + ")");
    }
    return requested == 0 ? DEFAULT_LIMIT : Math.min(requested, MAX_LIMIT);
  }

  private static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }
}
