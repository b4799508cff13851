/** Renders a {@link LogFilter} to the SQL predicates over otel_logs that every logs query shares. */
package com.kubetelemetry.query.logs;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.MatcherPredicate;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Each body term becomes an exact, case-insensitive substring test ({@code positionCaseInsensitiveUTF8}), preceded
 * by {@code lower(Body) LIKE pattern} ({@link BodyTerms}), which the exact test implies and which lets the
 * {@code lower(Body)} token bloom filter skip granules. Field paths in errors start with {@code filter.}.
 */
public final class LogFilterCompiler {
  public static final int MAX_TERMS = 20;
  public static final int MAX_TERM_LENGTH = 1024;
  public static final int MAX_MATCHERS = 32;
  public static final int MAX_NAME_LENGTH = 1024;
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-fA-F]{16}");

  private LogFilterCompiler() {}

  /** The predicates of {@code filter} (none for an empty filter), values registered on {@code sql}. */
  public static List<String> predicates(LogFilter filter, SqlBuilder sql) {
    List<String> out = new ArrayList<>();
    List<String> terms = filter.terms();
    if (terms.size() > MAX_TERMS) {
      throw invalid("filter.terms", "`filter.terms` has " + terms.size() + " terms; the maximum is " + MAX_TERMS);
    }
    for (int i = 0; i < terms.size(); i++) {
      String term = terms.get(i);
      String field = "filter.terms[" + i + "]";
      if (term.isEmpty() || term.length() > MAX_TERM_LENGTH) {
        throw invalid(field, "`" + field + "` must be 1 to " + MAX_TERM_LENGTH + " characters; it is "
            + term.length());
      }
      out.add("lower(Body) LIKE " + sql.param("String", BodyTerms.likePattern(term)));
      out.add("positionCaseInsensitiveUTF8(Body, " + sql.param("String", term) + ") > 0");
    }
    if (filter.minSeverity() != LogSeverity.UNSPECIFIED) {
      out.add("SeverityNumber >= " + sql.param("UInt8", filter.minSeverity().lowestNumber()));
    }
    if (!filter.serviceName().isEmpty()) {
      if (filter.serviceName().length() > MAX_NAME_LENGTH) {
        throw invalid("filter.service_name", "`filter.service_name` is " + filter.serviceName().length()
            + " characters; the maximum is " + MAX_NAME_LENGTH);
      }
      out.add("ServiceName = " + sql.param("String", filter.serviceName()));
    }
    if (!filter.traceId().isEmpty()) {
      out.add("TraceId = " + sql.param("String", hexId(filter.traceId(), TRACE_ID, "filter.trace_id", 32)));
    }
    if (!filter.spanId().isEmpty()) {
      out.add("SpanId = " + sql.param("String", hexId(filter.spanId(), SPAN_ID, "filter.span_id", 16)));
    }
    List<AttributeMatcher> matchers = filter.matchers();
    if (matchers.size() > MAX_MATCHERS) {
      throw invalid("filter.matchers", "`filter.matchers` has " + matchers.size() + " matchers; the maximum is "
          + MAX_MATCHERS);
    }
    for (int i = 0; i < matchers.size(); i++) {
      out.add(MatcherPredicate.render(matchers.get(i), SignalTable.LOGS, "filter.matchers[" + i + "]", sql));
    }
    return out;
  }

  /**
   * Writes {@code FROM table WHERE} with the tenant, {@code start <= Timestamp < end} and the filter's predicates,
   * one per line; parameters p0 (tenant), p1 (start), p2 (end) come first. Returns the start placeholder.
   */
  static String fromWhere(SqlBuilder sql, String table, TenantId tenant, Instant start, Instant end,
      LogFilter filter) {
    String tenantParam = sql.param("String", tenant.tenant());
    String startParam = sql.param("DateTime64(9)", start);
    String endParam = sql.param("DateTime64(9)", end);
    sql.line("FROM " + table)
        .line("WHERE TenantId = " + tenantParam)
        .line("  AND Timestamp >= " + startParam)
        .line("  AND Timestamp < " + endParam);
    for (String predicate : predicates(filter, sql)) {
      sql.line("  AND " + predicate);
    }
    return startParam;
  }

  private static String hexId(String id, Pattern format, String field, int length) {
    if (!format.matcher(id).matches()) {
      throw invalid(field, "`" + field + "` must be " + length + " hexadecimal characters; it is "
          + id.length() + " characters" + (id.length() == length ? " with a non-hexadecimal one" : ""));
    }
    return id.toLowerCase(Locale.ROOT);
  }

  static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }
}
