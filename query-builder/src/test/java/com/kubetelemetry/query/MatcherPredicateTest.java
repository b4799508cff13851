/** Exact predicates and parameters for every matcher operator and target, and the validation errors. */
package com.kubetelemetry.query;

import static com.kubetelemetry.query.AttributeMatcher.Op.EQ;
import static com.kubetelemetry.query.AttributeMatcher.Op.EXISTS;
import static com.kubetelemetry.query.AttributeMatcher.Op.IN;
import static com.kubetelemetry.query.AttributeMatcher.Op.NEQ;
import static com.kubetelemetry.query.AttributeMatcher.Op.NOT_EXISTS;
import static com.kubetelemetry.query.AttributeMatcher.Op.NOT_REGEX;
import static com.kubetelemetry.query.AttributeMatcher.Op.REGEX;
import static com.kubetelemetry.query.AttributeMatcher.Target.COLUMN;
import static com.kubetelemetry.query.AttributeMatcher.Target.ITEM;
import static com.kubetelemetry.query.AttributeMatcher.Target.RESOURCE;
import static com.kubetelemetry.query.AttributeMatcher.Target.SCOPE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatcherPredicateTest {

  /** The predicate rendered as the only line of a statement, so its parameters can be inspected. */
  private static Sql render(AttributeMatcher m, SignalTable table) {
    SqlBuilder b = new SqlBuilder();
    return b.line(MatcherPredicate.render(m, table, "matchers[0]", b)).build(QueryLimits.defaults());
  }

  private static QueryException error(AttributeMatcher m, SignalTable table) {
    try {
      render(m, table);
    } catch (QueryException e) {
      return e;
    }
    throw new AssertionError("no error for " + m);
  }

  @Test
  void resourceAttributeOperators() {
    Sql eq = render(AttributeMatcher.of(RESOURCE, "k8s.namespace.name", EQ, "prod"), SignalTable.TRACES);
    assertThat(eq.text()).isEqualTo("ResourceAttributes[{p0:String}] = {p1:String}");
    assertThat(eq.params()).containsExactly(new Param("p0", "String", "k8s.namespace.name"),
        new Param("p1", "String", "prod"));
    assertThat(render(AttributeMatcher.of(RESOURCE, "k", NEQ, "v"), SignalTable.TRACES).text())
        .isEqualTo("ResourceAttributes[{p0:String}] != {p1:String}");
    assertThat(render(AttributeMatcher.of(RESOURCE, "k", REGEX, "^a.*"), SignalTable.TRACES).text())
        .isEqualTo("match(ResourceAttributes[{p0:String}], {p1:String})");
    assertThat(render(AttributeMatcher.of(RESOURCE, "k", NOT_REGEX, "^a.*"), SignalTable.TRACES).text())
        .isEqualTo("NOT match(ResourceAttributes[{p0:String}], {p1:String})");
    Sql in = render(AttributeMatcher.of(RESOURCE, "k", IN, "a", "b"), SignalTable.TRACES);
    assertThat(in.text()).isEqualTo("has({p1:Array(String)}, ResourceAttributes[{p0:String}])");
    assertThat(in.params()).containsExactly(new Param("p0", "String", "k"),
        new Param("p1", "Array(String)", List.of("a", "b")));
    assertThat(render(AttributeMatcher.of(RESOURCE, "k", EXISTS), SignalTable.TRACES).text())
        .isEqualTo("mapContains(ResourceAttributes, {p0:String})");
    assertThat(render(AttributeMatcher.of(RESOURCE, "k", NOT_EXISTS), SignalTable.TRACES).text())
        .isEqualTo("NOT mapContains(ResourceAttributes, {p0:String})");
  }

  @Test
  void itemAttributesUseTheSignalsMap() {
    AttributeMatcher m = AttributeMatcher.of(ITEM, "http.method", EQ, "GET");
    assertThat(render(m, SignalTable.TRACES).text()).isEqualTo("SpanAttributes[{p0:String}] = {p1:String}");
    assertThat(render(m, SignalTable.LOGS).text()).isEqualTo("LogAttributes[{p0:String}] = {p1:String}");
    assertThat(render(m, SignalTable.METRICS_SUM).text()).isEqualTo("Attributes[{p0:String}] = {p1:String}");
    assertThat(render(AttributeMatcher.of(ITEM, "k", EXISTS), SignalTable.LOGS).text())
        .isEqualTo("mapContains(LogAttributes, {p0:String})");
  }

  @Test
  void scopeIsAMapForLogsAndMetricsAndNameOrVersionForSpans() {
    assertThat(render(AttributeMatcher.of(SCOPE, "lib", EQ, "x"), SignalTable.LOGS).text())
        .isEqualTo("ScopeAttributes[{p0:String}] = {p1:String}");
    assertThat(render(AttributeMatcher.of(SCOPE, "lib", NOT_EXISTS), SignalTable.METRICS_GAUGE).text())
        .isEqualTo("NOT mapContains(ScopeAttributes, {p0:String})");
    Sql name = render(AttributeMatcher.of(SCOPE, "name", EQ, "io.otel.http"), SignalTable.TRACES);
    assertThat(name.text()).isEqualTo("ScopeName = {p0:String}");
    assertThat(name.params()).containsExactly(new Param("p0", "String", "io.otel.http"));
    assertThat(render(AttributeMatcher.of(SCOPE, "version", REGEX, "^1\\."), SignalTable.TRACES).text())
        .isEqualTo("match(ScopeVersion, {p0:String})");
    QueryException e = error(AttributeMatcher.of(SCOPE, "lib", EQ, "x"), SignalTable.TRACES);
    assertThat(e.field()).isEqualTo("matchers[0].key");
    assertThat(e.getMessage()).contains("use one of name, version");
  }

  @Test
  void columnOperators() {
    assertThat(render(AttributeMatcher.of(COLUMN, "SpanKind", EQ, "Server"), SignalTable.TRACES).text())
        .isEqualTo("SpanKind = {p0:String}");
    assertThat(render(AttributeMatcher.of(COLUMN, "SpanKind", NEQ, "Server"), SignalTable.TRACES).text())
        .isEqualTo("SpanKind != {p0:String}");
    assertThat(render(AttributeMatcher.of(COLUMN, "Body", REGEX, "timeout"), SignalTable.LOGS).text())
        .isEqualTo("match(Body, {p0:String})");
    assertThat(render(AttributeMatcher.of(COLUMN, "Body", NOT_REGEX, "timeout"), SignalTable.LOGS).text())
        .isEqualTo("NOT match(Body, {p0:String})");
    assertThat(render(AttributeMatcher.of(COLUMN, "MetricName", IN, "a", "b"), SignalTable.METRICS_SUM).text())
        .isEqualTo("has({p0:Array(String)}, MetricName)");
    assertThat(render(AttributeMatcher.of(COLUMN, "TraceId", EXISTS), SignalTable.LOGS).text())
        .isEqualTo("TraceId != ''");
    assertThat(render(AttributeMatcher.of(COLUMN, "TraceId", NOT_EXISTS), SignalTable.LOGS).text())
        .isEqualTo("TraceId = ''");
  }

  @Test
  void numericColumnsBindNumbers() {
    Sql eq = render(AttributeMatcher.of(COLUMN, "SeverityNumber", EQ, "17"), SignalTable.LOGS);
    assertThat(eq.text()).isEqualTo("SeverityNumber = {p0:UInt64}");
    assertThat(eq.params()).containsExactly(new Param("p0", "UInt64", 17L));
    Sql in = render(AttributeMatcher.of(COLUMN, "Duration", IN, "1", "2"), SignalTable.TRACES);
    assertThat(in.text()).isEqualTo("has({p0:Array(UInt64)}, Duration)");
    assertThat(in.params()).containsExactly(new Param("p0", "Array(UInt64)", List.of(1L, 2L)));
    assertThat(render(AttributeMatcher.of(COLUMN, "Duration", EXISTS), SignalTable.TRACES).text())
        .isEqualTo("Duration != 0");
    assertThat(error(AttributeMatcher.of(COLUMN, "Duration", EQ, "-1"), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].values");
    assertThat(error(AttributeMatcher.of(COLUMN, "Duration", EQ, "1e3"), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].values");
    assertThat(error(AttributeMatcher.of(COLUMN, "Duration", REGEX, "1.*"), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].op");
  }

  @Test
  void unknownColumnsAreRejectedListingTheAllowedOnes() {
    for (String bad : List.of("Timestamp", "TenantId", "spankind", "SpanKind; DROP TABLE x", "ResourceAttributes",
        "")) {
      QueryException e = error(AttributeMatcher.of(COLUMN, bad, EQ, "x"), SignalTable.TRACES);
      assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
      assertThat(e.field()).isEqualTo("matchers[0].key");
      assertThat(e.getMessage()).contains("use one of Duration, ParentSpanId, ScopeName, ScopeVersion, ServiceName,"
          + " SpanId, SpanKind, SpanName, StatusCode, StatusMessage, TraceId, TraceState");
    }
    assertThat(error(AttributeMatcher.of(COLUMN, null, EQ, "x"), SignalTable.LOGS).field())
        .isEqualTo("matchers[0].key");
    assertThat(error(AttributeMatcher.of(COLUMN, "SpanKind", EQ, "x"), SignalTable.LOGS).getMessage())
        .contains("otel_logs").contains("Body");
  }

  @Test
  void valueCountsAndLengthsAreChecked() {
    assertThat(error(AttributeMatcher.of(RESOURCE, "k", EQ), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].values");
    assertThat(error(AttributeMatcher.of(RESOURCE, "k", EQ, "a", "b"), SignalTable.TRACES).getMessage())
        .isEqualTo("EQ takes exactly one value; `matchers[0].values` has 2");
    assertThat(error(AttributeMatcher.of(RESOURCE, "k", IN), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].values");
    assertThat(error(new AttributeMatcher(RESOURCE, "k", IN, java.util.Collections.nCopies(257, "v")),
        SignalTable.TRACES).getMessage()).isEqualTo("IN takes 1 to 256 values; `matchers[0].values` has 257");
    assertThat(error(AttributeMatcher.of(RESOURCE, "k", EXISTS, "v"), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].values");
    assertThat(error(AttributeMatcher.of(RESOURCE, "k", EQ, "v".repeat(4097)), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].values");
    assertThat(error(AttributeMatcher.of(RESOURCE, "", EQ, "v"), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].key");
    assertThat(error(AttributeMatcher.of(ITEM, "k".repeat(257), EQ, "v"), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].key");
    assertThat(render(AttributeMatcher.of(ITEM, "k".repeat(256), EQ, "v".repeat(4096)), SignalTable.TRACES)
        .params()).hasSize(2);
  }

  @Test
  void regexMustBeNonEmptyAndBounded() {
    QueryException empty = error(AttributeMatcher.of(ITEM, "k", REGEX, ""), SignalTable.TRACES);
    assertThat(empty.field()).isEqualTo("matchers[0].values");
    assertThat(empty.getMessage()).contains("must be 1 to 1024 characters");
    assertThat(error(AttributeMatcher.of(COLUMN, "Body", NOT_REGEX, "a".repeat(1025)), SignalTable.LOGS).field())
        .isEqualTo("matchers[0].values");
    assertThat(render(AttributeMatcher.of(ITEM, "k", REGEX, "a".repeat(1024)), SignalTable.TRACES).params())
        .hasSize(2);
  }
}
