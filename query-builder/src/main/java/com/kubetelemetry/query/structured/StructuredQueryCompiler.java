/** Compiles a {@link StructuredQuery} into one parameterized statement with typed output columns. */
package com.kubetelemetry.query.structured;

import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.MatcherPredicate;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.QueryException.Kind;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.query.structured.StructuredQuery.Function;
import com.kubetelemetry.query.structured.StructuredQuery.Ordering;
import com.kubetelemetry.query.structured.StructuredQuery.Selection;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Output columns are aliased {@code c0, c1, ...} in SQL (the API names, which may hold attribute keys, stay in
 * Java); the time bucket is {@code bucket}, Int64 nanoseconds since the epoch, aligned like {@link StepGrid}.
 * A query with a function, a group_by or a time bucket aggregates; otherwise it returns one row per item,
 * newest first by default. Parameters are named in order: tenant, start, end, bucket width, rate divisor, select
 * keys, filters, limit.
 */
public final class StructuredQueryCompiler {
  public static final int MAX_SELECT = 50;
  public static final int MAX_FILTERS = 32;
  public static final int MAX_GROUP_BY = 20;
  public static final long MAX_BUCKETS = 11_000;
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_]{1,64}");

  private final SchemaOptions schema;
  private final TimeRangeResolver ranges;
  private final QueryLimits limits;

  public StructuredQueryCompiler(SchemaOptions schema, TimeRangeResolver ranges, QueryLimits limits) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.ranges = Objects.requireNonNull(ranges, "ranges");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** One rendered output column. */
  private record Output(String name, ValueType type, String expr, Selection selection) {}

  public CompiledQuery compile(TenantId tenant, StructuredQuery query, TimeRange range, RowBudget budget) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(query, "query");
    QuerySignal signal = query.signal();
    if (signal == null) {
      throw invalid("query.signal", "`query.signal` is not set: use traces, logs or metrics");
    }
    checkSizes(query);
    int limit = limit(query.limit(), budget);
    TimeWindow window = ranges.resolve(range);
    SqlBuilder sql = new SqlBuilder();
    String tenantParam = sql.param("String", tenant.tenant());
    String startParam = sql.param("DateTime64(9)", window.start());
    String endParam = sql.param("DateTime64(9)", window.end());
    Duration bucket = query.timeBucket();
    String bucketParam = null;
    if (bucket != null) {
      StepGrid.align(window, bucket, MAX_BUCKETS, "query.time_bucket");
      bucketParam = sql.param("Int64", bucket.toNanos());
    }
    boolean aggregated = bucket != null || !query.groupBy().isEmpty()
        || query.select().stream().anyMatch(s -> s.function() != Function.NONE);
    String rateParam = null;
    if (query.select().stream().anyMatch(s -> s.function() == Function.RATE)) {
      Duration over = bucket != null ? bucket : window.span();
      rateParam = sql.param("Float64", over.toNanos() / 1e9);
    }
    SelectionRenderer renderer = new SelectionRenderer(signal, sql, rateParam);
    List<Output> outputs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    if (bucket != null) {
      names.add("time");
    }
    for (int i = 0; i < query.select().size(); i++) {
      String path = "query.select[" + i + "]";
      Selection s = query.select().get(i);
      SelectionRenderer.Rendered r = renderer.render(s, path);
      String name = s.alias().isEmpty() ? r.derivedName() : alias(s.alias(), path);
      if (!names.add(name)) {
        throw invalid(path + ".alias", "output column name `" + shorten(name) + "` is used twice: set a distinct"
            + " `" + path + ".alias`");
      }
      outputs.add(new Output(name, r.type(), r.expr(), s));
    }
    List<String> groupAliases = groupBy(query, outputs);
    if (aggregated) {
      for (int i = 0; i < outputs.size(); i++) {
        Output o = outputs.get(i);
        if (o.selection().function() == Function.NONE && !groupAliases.contains("c" + i)) {
          throw invalid("query.select[" + i + "]", "`query.select[" + i + "]` (" + shorten(o.name()) + ") is "
              + "neither aggregated nor in `query.group_by`: add it to group_by or apply a function");
        }
      }
    }
    List<String> predicates = new ArrayList<>();
    for (int i = 0; i < query.filters().size(); i++) {
      predicates.add(MatcherPredicate.render(query.filters().get(i), signal.table(), "query.filters[" + i + "]", sql));
    }
    List<String> order = orderBy(query, outputs, aggregated, signal);
    String limitParam = sql.param("UInt32", limit + 1L);

    sql.line("SELECT");
    List<String> items = new ArrayList<>();
    List<OutputColumn> columns = new ArrayList<>();
    if (bucket != null) {
      items.add("intDiv(toUnixTimestamp64Nano(" + signal.timeColumn() + "), " + bucketParam + ") * " + bucketParam
          + " AS bucket");
      columns.add(new OutputColumn("time", ValueType.TIMESTAMP));
    }
    for (int i = 0; i < outputs.size(); i++) {
      items.add(outputs.get(i).expr() + " AS c" + i);
      columns.add(new OutputColumn(outputs.get(i).name(), outputs.get(i).type()));
    }
    for (int i = 0; i < items.size(); i++) {
      sql.line("    " + items.get(i) + (i + 1 < items.size() ? "," : ""));
    }
    signal.fromLines(schema).forEach(sql::line);
    sql.line("WHERE TenantId = " + tenantParam)
        .line("  AND " + signal.timeColumn() + " >= " + startParam)
        .line("  AND " + signal.timeColumn() + " < " + endParam);
    for (String p : predicates) {
      sql.line("  AND " + p);
    }
    List<String> groups = new ArrayList<>();
    if (bucket != null) {
      groups.add("bucket");
    }
    groups.addAll(groupAliases);
    if (!groups.isEmpty()) {
      sql.line("GROUP BY " + String.join(", ", groups));
    }
    if (!order.isEmpty()) {
      sql.line("ORDER BY " + String.join(", ", order));
    }
    sql.line("LIMIT " + limitParam);
    Sql built = sql.build(limits).withSetting("max_result_rows", Long.toString(limit + 1L));
    return new CompiledQuery(built, columns, limit);
  }

  private static void checkSizes(StructuredQuery query) {
    int n = query.select().size();
    if (n == 0 || n > MAX_SELECT) {
      throw invalid("query.select", "`query.select` has " + n + " expressions; use 1 to " + MAX_SELECT);
    }
    if (query.filters().size() > MAX_FILTERS) {
      throw invalid("query.filters", "`query.filters` has " + query.filters().size() + " matchers; the maximum is "
          + MAX_FILTERS);
    }
    if (query.groupBy().size() > MAX_GROUP_BY) {
      throw invalid("query.group_by", "`query.group_by` has " + query.groupBy().size() + " entries; the maximum is "
          + MAX_GROUP_BY);
    }
    if (query.orderBy().size() > MAX_SELECT + 1) {
      throw invalid("query.order_by", "`query.order_by` has " + query.orderBy().size() + " entries; the maximum is "
          + (MAX_SELECT + 1));
    }
  }

  /** SQL aliases of the selections named by group_by, in group_by order. */
  private static List<String> groupBy(StructuredQuery query, List<Output> outputs) {
    List<String> aliases = new ArrayList<>();
    for (int j = 0; j < query.groupBy().size(); j++) {
      AttributeRef ref = query.groupBy().get(j);
      String path = "query.group_by[" + j + "]";
      int found = -1;
      for (int i = 0; i < outputs.size() && found < 0; i++) {
        Selection s = outputs.get(i).selection();
        if (s.function() == Function.NONE && ref.equals(s.field())) {
          found = i;
        }
      }
      if (found < 0) {
        throw invalid(path, "`" + path + "` (" + shorten(displayName(ref)) + ") must also be selected without a "
            + "function: add it to `query.select`");
      }
      if (aliases.contains("c" + found)) {
        throw invalid(path, "`" + path + "` repeats an earlier group_by entry: remove it");
      }
      aliases.add("c" + found);
    }
    return aliases;
  }

  private static List<String> orderBy(StructuredQuery query, List<Output> outputs, boolean aggregated,
      QuerySignal signal) {
    Map<String, String> byName = new LinkedHashMap<>();
    if (query.timeBucket() != null) {
      byName.put("time", "bucket");
    } else if (!aggregated) {
      byName.put("time", signal.timeColumn());
    }
    for (int i = 0; i < outputs.size(); i++) {
      byName.put(outputs.get(i).name(), "c" + i);
    }
    List<String> order = new ArrayList<>();
    if (query.orderBy().isEmpty()) {
      if (query.timeBucket() != null) {
        order.add("bucket");
      }
      if (!aggregated) {
        order.add(signal.timeColumn() + " DESC");
      }
      for (int i = 0; i < outputs.size(); i++) {
        if (aggregated && outputs.get(i).selection().function() == Function.NONE) {
          order.add("c" + i);
        }
      }
      return order;
    }
    Set<String> used = new HashSet<>();
    for (int i = 0; i < query.orderBy().size(); i++) {
      Ordering o = query.orderBy().get(i);
      String path = "query.order_by[" + i + "].column";
      String expr = byName.get(o.column());
      if (expr == null) {
        throw invalid(path, "`" + path + "` names no output column (`" + shorten(o.column()) + "`): use one of "
            + shorten(String.join(", ", byName.keySet())));
      }
      if (!used.add(expr)) {
        throw invalid(path, "`" + path + "` orders by `" + shorten(o.column()) + "` twice: remove one");
      }
      order.add(o.descending() ? expr + " DESC" : expr);
    }
    return order;
  }

  private static int limit(int requested, RowBudget budget) {
    if (requested < 0) {
      throw invalid("query.limit", "`query.limit` is " + requested + "; use 1 to " + budget.maxLimit()
          + " (0 for the default of " + budget.defaultLimit() + ")");
    }
    if (requested > budget.maxLimit()) {
      throw new QueryException(Kind.RESOURCE_EXHAUSTED, "query.limit", "`query.limit` is " + requested + "; "
          + budget.method() + " returns at most " + budget.maxLimit() + " rows: lower `query.limit`"
          + (budget.maxLimit() < RowBudget.STREAM.maxLimit() ? " or use StreamQuery" : " or narrow the query"));
    }
    return requested == 0 ? budget.defaultLimit() : requested;
  }

  private static String alias(String alias, String path) {
    if (!ALIAS.matcher(alias).matches()) {
      throw invalid(path + ".alias", "`" + path + ".alias` must be 1 to 64 letters, digits or underscores");
    }
    return alias;
  }

  /** The name of {@code ref} in derived output names, e.g. {@code resource.k8s.pod.name}. */
  static String displayName(AttributeRef ref) {
    String prefix = switch (ref.target()) {
      case RESOURCE -> "resource.";
      case SCOPE -> "scope.";
      case ITEM -> "attribute.";
      case COLUMN -> "field.";
    };
    return prefix + ref.key();
  }

  static QueryException unknownField(QuerySignal signal, String key, String path) {
    return invalid(path, "unknown field `" + shorten(key) + "` for " + signal.name().toLowerCase()
        + ": use one of " + String.join(", ", signal.table().fieldNames()));
  }

  static QueryException invalid(String field, String message) {
    return new QueryException(Kind.INVALID_ARGUMENT, field, message);
  }

  /** A user-supplied name cut for an error message. */
  static String shorten(String s) {
    if (s == null) {
      return "";
    }
    String flat = s.replaceAll("[\\p{Cntrl}]", "?");
    return flat.length() <= 64 ? flat : flat.substring(0, 64) + "...";
  }
}
