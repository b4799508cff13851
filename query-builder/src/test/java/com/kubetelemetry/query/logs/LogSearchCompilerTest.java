/** Exact SQL and parameters of compiled log searches, filters and paging, and their validation errors. */
package com.kubetelemetry.query.logs;

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
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSearchCompilerTest {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final SchemaOptions SCHEMA = new SchemaOptions("otel", 0, 0, 0);
  static final TimeRangeResolver RANGES = TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC));
  static final LogSearchCompiler COMPILER = new LogSearchCompiler(SCHEMA, RANGES, QueryLimits.defaults());
  static final TenantId TENANT = new TenantId("acme");

  static final String SELECT = """
      SELECT
          toUnixTimestamp64Nano(Timestamp) AS TimestampNanos,
          TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber, ServiceName, Body,
          LogAttributes, ResourceAttributes, ResourceSchemaUrl,
          ScopeName, ScopeVersion, ScopeAttributes, ScopeSchemaUrl, EventName,
          cityHash64(TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber, ServiceName, Body, \
      LogAttributes, ResourceAttributes, ResourceSchemaUrl, ScopeName, ScopeVersion, ScopeAttributes, \
      ScopeSchemaUrl, EventName) AS RowHash
      """;
  static final String FROM = """
      FROM `otel`.`otel_logs`
      WHERE TenantId = {p0:String}
        AND Timestamp >= {p1:DateTime64(9)}
        AND Timestamp < {p2:DateTime64(9)}
      """;

  @Test
  void firstPageOfTheDefaultHourNewestFirst() {
    LogSearchCompiler.Statement st = COMPILER.compile(TENANT, LogSearch.of(LogFilter.all()));
    assertThat(st.pageSize()).isEqualTo(100);
    assertThat(st.sql().text()).isEqualTo(SELECT + FROM + """
        ORDER BY Timestamp DESC, RowHash DESC
        LIMIT {p3:UInt32}""");
    assertThat(st.sql().params()).containsExactly(new Param("p0", "String", "acme"),
        new Param("p1", "DateTime64(9)", NOW.minusSeconds(3600)), new Param("p2", "DateTime64(9)", NOW),
        new Param("p3", "UInt32", 101));
    assertThat(st.sql().settings()).containsEntry("readonly", "1").containsEntry("max_execution_time", "30");
  }

  @Test
  void everyFilterAndALaterPageOldestFirst() {
    LogFilter filter = LogFilter.all().withTerms("timeout", "GET /api/v1/users?id=7", "日本 語x")
        .withMinSeverity(LogSeverity.WARN).withServiceName("checkout")
        .withTraceId("0123456789ABCDEF0123456789abcdef").withSpanId("0123456789abcdef")
        .withMatchers(List.of(AttributeMatcher.of(Target.RESOURCE, "k8s.namespace.name", Op.EQ, "prod"),
            AttributeMatcher.of(Target.ITEM, "http.status_code", Op.IN, "500", "503")));
    LogCursor cursor = new LogCursor(1_700_000_000_123_456_789L, new BigInteger("18446744073709551615"), 3);
    Sql sql = COMPILER.compile(TENANT, LogSearch.of(filter).withAscending(true).withPageSize(5000)
        .withCursor(cursor).withTimeRange(TimeRange.last("15m"))).sql();
    assertThat(sql.text()).isEqualTo(SELECT + FROM + """
          AND lower(Body) LIKE {p3:String}
          AND positionCaseInsensitiveUTF8(Body, {p4:String}) > 0
          AND lower(Body) LIKE {p5:String}
          AND positionCaseInsensitiveUTF8(Body, {p6:String}) > 0
          AND lower(Body) LIKE {p7:String}
          AND positionCaseInsensitiveUTF8(Body, {p8:String}) > 0
          AND SeverityNumber >= {p9:UInt8}
          AND ServiceName = {p10:String}
          AND TraceId = {p11:String}
          AND SpanId = {p12:String}
          AND ResourceAttributes[{p13:String}] = {p14:String}
          AND has({p16:Array(String)}, LogAttributes[{p15:String}])
          AND Timestamp >= {p17:DateTime64(9)}
          AND (Timestamp, RowHash) >= ({p17:DateTime64(9)}, {p18:UInt64})
        ORDER BY Timestamp ASC, RowHash ASC
        LIMIT {p20:UInt32} OFFSET {p19:UInt64}""");
    assertThat(sql.params().subList(3, sql.params().size())).containsExactly(
        new Param("p3", "String", "%timeout%"), new Param("p4", "String", "timeout"),
        new Param("p5", "String", "%get /api/v1/users?id=7%"), new Param("p6", "String", "GET /api/v1/users?id=7"),
        new Param("p7", "String", "% %x%"), new Param("p8", "String", "日本 語x"),
        new Param("p9", "UInt8", 13), new Param("p10", "String", "checkout"),
        new Param("p11", "String", "0123456789abcdef0123456789abcdef"),
        new Param("p12", "String", "0123456789abcdef"), new Param("p13", "String", "k8s.namespace.name"),
        new Param("p14", "String", "prod"), new Param("p15", "String", "http.status_code"),
        new Param("p16", "Array(String)", List.of("500", "503")),
        new Param("p17", "DateTime64(9)", Instant.ofEpochSecond(1_700_000_000L, 123_456_789)),
        new Param("p18", "UInt64", new BigInteger("18446744073709551615")), new Param("p19", "UInt64", 3L),
        new Param("p20", "UInt32", 1001));
  }

  @Test
  void newestFirstPagesContinueAtOrBelowTheCursor() {
    Sql sql = COMPILER.compile(TENANT, LogSearch.of(LogFilter.all())
        .withCursor(new LogCursor(5, BigInteger.TEN, 0)).withPageSize(7)).sql();
    assertThat(sql.text()).endsWith("""
          AND Timestamp <= {p3:DateTime64(9)}
          AND (Timestamp, RowHash) <= ({p3:DateTime64(9)}, {p4:UInt64})
        ORDER BY Timestamp DESC, RowHash DESC
        LIMIT {p6:UInt32} OFFSET {p5:UInt64}""");
    assertThat(sql.params().getLast()).isEqualTo(new Param("p6", "UInt32", 8));
  }

  @Test
  void nextCursorCountsRecordsWithTheLastKey() {
    var a = new LogCursor.Key(10, BigInteger.ONE);
    var b = new LogCursor.Key(9, BigInteger.TWO);
    assertThat(LogCursor.after(null, List.of(a, b, b))).isEqualTo(new LogCursor(9, BigInteger.TWO, 2));
    assertThat(LogCursor.after(null, List.of(a, b))).isEqualTo(new LogCursor(9, BigInteger.TWO, 1));
    assertThat(LogCursor.after(new LogCursor(9, BigInteger.TWO, 2), List.of(b, b)))
        .isEqualTo(new LogCursor(9, BigInteger.TWO, 4));
    assertThat(LogCursor.after(new LogCursor(10, BigInteger.ONE, 1), List.of(a, b)))
        .isEqualTo(new LogCursor(9, BigInteger.TWO, 1));
    LogCursor c = new LogCursor(9, LogCursor.MAX_HASH, 4);
    assertThat(LogCursor.parse(c.position(), "page.page_token")).isEqualTo(c);
    for (List<String> bad : List.of(List.<String>of(), List.of("1", "2"), List.of("x", "1", "1"),
        List.of("1", "-1", "0"), List.of("1", "18446744073709551616", "0"), List.of("-5", "1", "0"))) {
      assertThatThrownBy(() -> LogCursor.parse(bad, "page.page_token")).isInstanceOfSatisfying(
          QueryException.class, e -> assertThat(e.field()).isEqualTo("page.page_token"));
    }
  }

  @Test
  void errorsNameTheirField() {
    assertThat(fieldOf(LogFilter.all().withTerms(""))).isEqualTo("filter.terms[0]");
    assertThat(fieldOf(LogFilter.all().withTerms("a", "x".repeat(1025)))).isEqualTo("filter.terms[1]");
    assertThat(fieldOf(new LogFilter(Collections.nCopies(21, "a"), null, null, null, null, null)))
        .isEqualTo("filter.terms");
    assertThat(fieldOf(LogFilter.all().withTraceId("abc"))).isEqualTo("filter.trace_id");
    assertThat(fieldOf(LogFilter.all().withTraceId("g".repeat(32)))).isEqualTo("filter.trace_id");
    assertThat(fieldOf(LogFilter.all().withSpanId("0123456789abcdef0"))).isEqualTo("filter.span_id");
    assertThat(fieldOf(LogFilter.all().withServiceName("s".repeat(1025)))).isEqualTo("filter.service_name");
    assertThat(fieldOf(LogFilter.all().withMatchers(Collections.nCopies(33,
        AttributeMatcher.of(Target.ITEM, "k", Op.EXISTS))))).isEqualTo("filter.matchers");
    assertThat(fieldOf(LogFilter.all().withMatchers(List.of(AttributeMatcher.of(Target.ITEM, "k", Op.EXISTS),
        AttributeMatcher.of(Target.COLUMN, "Nope", Op.EQ, "x"))))).startsWith("filter.matchers[1]");
    assertThatThrownBy(() -> COMPILER.compile(TENANT, LogSearch.of(LogFilter.all()).withPageSize(-1)))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("page.page_size"));
    assertThatThrownBy(() -> LogSeverity.ofOrdinal(7, "filter.min_severity"))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("filter.min_severity"));
  }

  @Test
  void severityLevelsCoverFourNumbersEach() {
    assertThat(LogSeverity.ofNumber(0)).isEqualTo(LogSeverity.UNSPECIFIED);
    assertThat(LogSeverity.ofNumber(1)).isEqualTo(LogSeverity.TRACE);
    assertThat(LogSeverity.ofNumber(4)).isEqualTo(LogSeverity.TRACE);
    assertThat(LogSeverity.ofNumber(5)).isEqualTo(LogSeverity.DEBUG);
    assertThat(LogSeverity.ofNumber(12)).isEqualTo(LogSeverity.INFO);
    assertThat(LogSeverity.ofNumber(13)).isEqualTo(LogSeverity.WARN);
    assertThat(LogSeverity.ofNumber(20)).isEqualTo(LogSeverity.ERROR);
    assertThat(LogSeverity.ofNumber(24)).isEqualTo(LogSeverity.FATAL);
    assertThat(LogSeverity.ofNumber(200)).isEqualTo(LogSeverity.FATAL);
    assertThat(List.of(LogSeverity.values()).stream().map(LogSeverity::lowestNumber).toList())
        .containsExactly(0, 1, 5, 9, 13, 17, 21);
  }

  @Test
  void termsBecomeLikePatternsTheTokenIndexCanUse() {
    assertThat(BodyTerms.likePattern("Timeout")).isEqualTo("%timeout%");
    assertThat(BodyTerms.likePattern("50% of a_b\\c")).isEqualTo("%50\\% of a\\_b\\\\c%");
    assertThat(BodyTerms.likePattern("café")).isEqualTo("%caf%");
    assertThat(BodyTerms.likePattern("日本")).isEqualTo("%");
    assertThat(BodyTerms.likePattern("%é")).isEqualTo("%\\%%");
    assertThat(BodyTerms.likePattern("a\\é")).isEqualTo("%a\\\\%");
    assertThat(BodyTerms.likePattern("😀x😀")).isEqualTo("%x%");
  }

  static String fieldOf(LogFilter filter) {
    try {
      COMPILER.compile(TENANT, LogSearch.of(filter));
    } catch (QueryException e) {
      assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
      return e.field();
    }
    throw new AssertionError("compiled without error: " + filter);
  }
}
