/** Property-style check: any string in any free-text field of the trace reads changes only parameter values. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.HostileStrings;
import static com.kubetelemetry.query.traces.TraceFixtures.CATALOG;
import static com.kubetelemetry.query.traces.TraceFixtures.FETCH;
import static com.kubetelemetry.query.traces.TraceFixtures.GRAPH;
import static com.kubetelemetry.query.traces.TraceFixtures.METRICS;
import static com.kubetelemetry.query.traces.TraceFixtures.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.MatcherPredicate;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceReadsHostileInputTest {
  /** Free-text fields: 0 tenant, 1 prefix, 2 service, 3 graph service name, 4 span name, 5 matcher key, 6 value. */
  static final int FIELDS = 7;

  static final List<String> FIXED = List.of("'", "\"", "`", "\\", "\\'", "'; DROP TABLE otel.otel_traces; --",
      "{}", "{x:String}", "{p0:String}", "{p1:UInt32}", "\0", "a\0b", "\n", "a\n\nb", "\n\n\n", "\r\n\r\n",
      " \n \n ", "-- comment", "/* x */", "SETTINGS readonly=0", "é", "日本語", "😀", "\uD800", "Ω\u202E", "%s%n",
      "$1", "?", " ", "\t", "0af7651916cd43dd8448eb211c80319c'");

  /** Every statement the trace reads compile to, with field i taken from {@code s[i]}. */
  static List<Sql> compile(String[] s) {
    TenantId tenant = new TenantId(s[0]);
    List<AttributeMatcher> matchers = List.of(AttributeMatcher.of(Target.ITEM, s[5], Op.EQ, s[6]),
        AttributeMatcher.of(Target.RESOURCE, s[5], Op.IN, s[6], "x"));
    return List.of(
        FETCH.compile(tenant, TraceFetch.of("0af7651916cd43dd8448eb211c80319c")),
        CATALOG.services(tenant, new ServiceListing(null, s[1])),
        CATALOG.operations(tenant, new OperationListing(s[2], null, SpanKind.SERVER)),
        GRAPH.compile(tenant, new ServiceGraphQuery(null, List.of(s[3], "x"))),
        METRICS.compile(tenant, SpanMetricsQuery.over(null).withService(s[2]).withSpanName(s[4])
            .withMatchers(matchers)).sql());
  }

  static String[] benign() {
    String[] s = new String[FIELDS];
    Arrays.fill(s, "x");
    return s;
  }

  @Test
  void anyStringOnlyChangesParameterValues() {
    List<Sql> reference = compile(benign());
    List<String> samples = new ArrayList<>(FIXED);
    Random random = new Random(20261123L);
    for (int i = 0; i < 200; i++) {
      samples.add(HostileStrings.random(random));
    }
    int checked = 0;
    for (String hostile : samples) {
      for (int field = 0; field < FIELDS; field++) {
        String value = fit(hostile, field);
        if (value == null) {
          continue;
        }
        String[] s = benign();
        s[field] = value;
        List<Sql> compiled = compile(s);
        for (int i = 0; i < reference.size(); i++) {
          Sql sql = compiled.get(i);
          Sql ref = reference.get(i);
          assertThat(sql.text()).as("field %d statement %d with %s", field, i, hostile).isEqualTo(ref.text());
          assertThat(sql.params()).extracting(Param::name, Param::type).isEqualTo(ref.params().stream()
              .map(p -> org.assertj.core.groups.Tuple.tuple(p.name(), p.type())).toList());
        }
        assertThat(compiled.stream().flatMap(sql -> sql.params().stream())).as("field %d", field)
            .anySatisfy(p -> assertThat(p.value().equals(value)
                || (p.value() instanceof List<?> l && l.contains(value))).isTrue());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(1500);
  }

  @Test
  void hostileTraceIdsAreRejectedNamingTheField() {
    List<String> samples = new ArrayList<>(FIXED);
    Random random = new Random(5L);
    for (int i = 0; i < 100; i++) {
      samples.add(HostileStrings.random(random));
    }
    for (String hostile : samples) {
      assertThatThrownBy(() -> FETCH.compile(TENANT, TraceFetch.of(hostile)))
          .isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.field()).isEqualTo("trace_id");
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\0").hasSizeLessThan(200);
          });
    }
  }

  /** The sample cut to what field {@code field} accepts, or null when it can never be valid there. */
  static String fit(String s, int field) {
    return switch (field) {
      case 0 -> s.isBlank() ? null : HostileStrings.cut(s, TenantId.MAX_LENGTH);
      case 1, 2, 3, 4 -> s.isEmpty() ? null : HostileStrings.cut(s, RequestChecks.MAX_NAME_LENGTH);
      case 5 -> s.isEmpty() ? null : HostileStrings.cut(s, MatcherPredicate.MAX_KEY_LENGTH);
      default -> HostileStrings.cut(s, MatcherPredicate.MAX_VALUE_LENGTH);
    };
  }
}
