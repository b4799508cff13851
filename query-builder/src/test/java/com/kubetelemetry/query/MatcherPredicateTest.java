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
        .isEqualTo("match(ResourceAttributes[{p0:String}], concat('^(?:', {p1:String}, ')$'))");
    assertThat(render(AttributeMatcher.of(RESOURCE, "k", NOT_REGEX, "^a.*"), SignalTable.TRACES).text())
        .isEqualTo("NOT match(ResourceAttributes[{p0:String}], concat('^(?:', {p1:String}, ')$'))");
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
        .isEqualTo("match(ScopeVersion, concat('^(?:', {p0:String}, ')$'))");
    QueryException e = error(AttributeMatcher.of(SCOPE, "lib", EQ, "x"), SignalTable.TRACES);
    assertThat(e.field()).isEqualTo("matchers[0].key");
    assertThat(e.getMessage()).contains("use one of name, version");
  }

  @Test
  void columnOperators() {
    assertThat(render(AttributeMatcher.of(COLUMN, "span_kind", EQ, "Server"), SignalTable.TRACES).text())
        .isEqualTo("SpanKind = {p0:String}");
    assertThat(render(AttributeMatcher.of(COLUMN, "span_kind", NEQ, "Server"), SignalTable.TRACES).text())
        .isEqualTo("SpanKind != {p0:String}");
    assertThat(render(AttributeMatcher.of(COLUMN, "body", REGEX, "timeout"), SignalTable.LOGS).text())
        .isEqualTo("match(Body, concat('^(?:', {p0:String}, ')$'))");
    assertThat(render(AttributeMatcher.of(COLUMN, "body", NOT_REGEX, "timeout"), SignalTable.LOGS).text())
        .isEqualTo("NOT match(Body, concat('^(?:', {p0:String}, ')$'))");
    assertThat(render(AttributeMatcher.of(COLUMN, "metric_name", IN, "a", "b"), SignalTable.METRICS_SUM).text())
        .isEqualTo("has({p0:Array(String)}, MetricName)");
    assertThat(render(AttributeMatcher.of(COLUMN, "trace_id", EXISTS), SignalTable.LOGS).text())
        .isEqualTo("TraceId != ''");
    assertThat(render(AttributeMatcher.of(COLUMN, "trace_id", NOT_EXISTS), SignalTable.LOGS).text())
        .isEqualTo("TraceId = ''");
  }

  @Test
  void negativeSubstringAndNumericOperators() {
    Sql notIn = render(AttributeMatcher.of(ITEM, "k", AttributeMatcher.Op.NOT_IN, "a", "b"), SignalTable.TRACES);
    assertThat(notIn.text()).isEqualTo("NOT has({p1:Array(String)}, SpanAttributes[{p0:String}])");
    Sql contains = render(AttributeMatcher.of(COLUMN, "body", AttributeMatcher.Op.CONTAINS, "Time Out"),
        SignalTable.LOGS);
    assertThat(contains.text()).isEqualTo("positionCaseInsensitiveUTF8(Body, {p0:String}) > 0");
    assertThat(contains.params()).containsExactly(new Param("p0", "String", "Time Out"));
    assertThat(render(AttributeMatcher.of(RESOURCE, "k", AttributeMatcher.Op.NOT_CONTAINS, "x"), SignalTable.LOGS)
        .text()).isEqualTo("positionCaseInsensitiveUTF8(ResourceAttributes[{p0:String}], {p1:String}) = 0");
    Sql gt = render(AttributeMatcher.of(ITEM, "http.status_code", AttributeMatcher.Op.GE, "500"),
        SignalTable.TRACES);
    assertThat(gt.text()).isEqualTo("toFloat64OrNull(SpanAttributes[{p0:String}]) >= {p1:Float64}");
    assertThat(gt.params()).containsExactly(new Param("p0", "String", "http.status_code"),
        new Param("p1", "Float64", 500.0));
    assertThat(render(AttributeMatcher.of(COLUMN, "duration_nanos", AttributeMatcher.Op.LT, "1e6"),
        SignalTable.TRACES).text()).isEqualTo("Duration < {p0:Float64}");
    assertThat(render(AttributeMatcher.of(COLUMN, "value", AttributeMatcher.Op.GT, "0.5"), SignalTable.METRICS_GAUGE)
        .text()).isEqualTo("Value > {p0:Float64}");
    assertThat(error(AttributeMatcher.of(ITEM, "k", AttributeMatcher.Op.GT, "ten"), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].values");
    assertThat(error(AttributeMatcher.of(COLUMN, "duration_nanos", AttributeMatcher.Op.CONTAINS, "1"),
        SignalTable.TRACES).field()).isEqualTo("matchers[0].op");
    assertThat(error(AttributeMatcher.of(COLUMN, "value", EQ, "1"), SignalTable.METRICS_HISTOGRAM).field())
        .isEqualTo("matchers[0].key");
  }

  @Test
  void attributeReferencesRenderAsText() {
    SqlBuilder b = new SqlBuilder();
    assertThat(AttributeExpression.render(new AttributeRef(RESOURCE, "k8s.pod.name"), SignalTable.LOGS, "g", b))
        .isEqualTo("ResourceAttributes[{p0:String}]");
    assertThat(AttributeExpression.render(new AttributeRef(COLUMN, "severity_number"), SignalTable.LOGS, "g", b))
        .isEqualTo("toString(SeverityNumber)");
    assertThat(AttributeExpression.render(new AttributeRef(SCOPE, "name"), SignalTable.TRACES, "g", b))
        .isEqualTo("ScopeName");
    assertThatThrownBy(() -> AttributeExpression.render(new AttributeRef(COLUMN, "Body"), SignalTable.LOGS, "g[0]",
        b)).isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("g[0].key"));
    assertThatThrownBy(() -> AttributeExpression.render(new AttributeRef(ITEM, ""), SignalTable.LOGS, "g[1]", b))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("g[1].key"));
  }

  @Test
  void numericColumnsBindNumbers() {
    Sql eq = render(AttributeMatcher.of(COLUMN, "severity_number", EQ, "17"), SignalTable.LOGS);
    assertThat(eq.text()).isEqualTo("SeverityNumber = {p0:UInt64}");
    assertThat(eq.params()).containsExactly(new Param("p0", "UInt64", 17L));
    Sql in = render(AttributeMatcher.of(COLUMN, "duration_nanos", IN, "1", "2"), SignalTable.TRACES);
    assertThat(in.text()).isEqualTo("has({p0:Array(UInt64)}, Duration)");
    assertThat(in.params()).containsExactly(new Param("p0", "Array(UInt64)", List.of(1L, 2L)));
    assertThat(render(AttributeMatcher.of(COLUMN, "duration_nanos", EXISTS), SignalTable.TRACES).text())
        .isEqualTo("Duration != 0");
    assertThat(error(AttributeMatcher.of(COLUMN, "duration_nanos", EQ, "-1"), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].values");
    assertThat(error(AttributeMatcher.of(COLUMN, "duration_nanos", EQ, "1e3"), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].values");
    assertThat(error(AttributeMatcher.of(COLUMN, "duration_nanos", REGEX, "1.*"), SignalTable.TRACES).field())
        .isEqualTo("matchers[0].op");
  }

  @Test
  void unknownColumnsAreRejectedListingTheAllowedOnes() {
    for (String bad : List.of("Timestamp", "TenantId", "SpanKind", "span_kind; DROP TABLE x", "ResourceAttributes",
        "")) {
      QueryException e = error(AttributeMatcher.of(COLUMN, bad, EQ, "x"), SignalTable.TRACES);
      assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
      assertThat(e.field()).isEqualTo("matchers[0].key");
      assertThat(e.getMessage()).contains("use one of duration_nanos, parent_span_id, scope_name, scope_version, service_name,"
          + " span_id, span_kind, span_name, status_code, status_message, trace_id, trace_state");
    }
    assertThat(error(AttributeMatcher.of(COLUMN, null, EQ, "x"), SignalTable.LOGS).field())
        .isEqualTo("matchers[0].key");
    assertThat(error(AttributeMatcher.of(COLUMN, "span_kind", EQ, "x"), SignalTable.LOGS).getMessage())
        .contains("otel_logs").contains("body");
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
    assertThat(error(AttributeMatcher.of(COLUMN, "body", NOT_REGEX, "a".repeat(1025)), SignalTable.LOGS).field())
        .isEqualTo("matchers[0].values");
    assertThat(render(AttributeMatcher.of(ITEM, "k", REGEX, "a".repeat(1024)), SignalTable.TRACES).params())
        .hasSize(2);
  }
}
