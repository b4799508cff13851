/** Property-style check: any string in any free-text field of a metric query changes only parameter values. */
package com.kubetelemetry.query.metrics;

import com.kubetelemetry.query.HostileStrings;
import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.MatcherPredicate;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.metrics.MetricQuery.SeriesAggregation;
import com.kubetelemetry.query.metrics.MetricQuery.TemporalFunction;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class MetricHostileInputTest {
  static final int FIELDS = 11;
  static final List<String> FIXED = List.of("'", "\"", "`", "\\", "\\'", "'; DROP TABLE otel.otel_metrics_sum; --",
      "{}", "{x:String}", "{p0:String}", "{p1:UInt32}", "\0", "a\0b", "\n", "a\n\nb", "\n\n\n", "\r\n\r\n",
      "-- comment", "/* x */", "SETTINGS readonly=0", "é", "日本語", "😀", "\uD800", "Ω\u202E", "%s%n", "$1", "?",
      " ", "\t", "Value", "ServiceName");

  /** The sample request with field i taken from {@code s[i]}, for a counter (raw) or a gauge (rollup). */
  static Sql compile(String[] s, boolean counter) {
    MetricQuery q = MetricQuery.of(s[1])
        .withMatchers(List.of(
            AttributeMatcher.of(Target.RESOURCE, s[2], Op.EQ, s[3]),
            AttributeMatcher.of(Target.ITEM, s[4], Op.NEQ, s[5]),
            AttributeMatcher.of(Target.ITEM, "k", Op.REGEX, s[6]),
            AttributeMatcher.of(Target.RESOURCE, s[7], Op.IN, s[8], "fixed")))
        .withAggregation(SeriesAggregation.SUM, List.of(new AttributeRef(Target.RESOURCE, s[9]),
            new AttributeRef(Target.ITEM, s[10])));
    MetricShape shape = counter ? MetricQueryCompilerTest.COUNTER : MetricQueryCompilerTest.GAUGE;
    return MetricQueryCompilerTest.COMPILER.compile(new TenantId(s[0]), counter ? q
        : q.withFunction(TemporalFunction.AVG), shape, MetricQueryCompilerTest.GRID, true).sql();
  }

  static String[] benign() {
    String[] s = new String[FIELDS];
    Arrays.fill(s, "x");
    s[9] = "g1";
    s[10] = "g2";
    return s;
  }

  @Test
  void anyStringOnlyChangesParameterValues() {
    for (boolean counter : new boolean[] {true, false}) {
      Sql reference = compile(benign(), counter);
      Random random = new Random(20261123L);
      List<String> samples = new ArrayList<>(FIXED);
      for (int i = 0; i < 200; i++) {
        samples.add(HostileStrings.random(random));
      }
      int checked = 0;
      for (String hostile : samples) {
        for (int field = 0; field < FIELDS; field++) {
          String[] s = benign();
          s[field] = fit(hostile, field);
          if (s[field] == null || (field >= 9 && s[field].equals(s[19 - field]))) {
            continue;
          }
          Sql sql = compile(s, counter);
          assertThat(sql.text()).as("field %d with %s", field, hostile).isEqualTo(reference.text());
          assertThat(sql.params()).extracting(Param::name, Param::type).isEqualTo(reference.params().stream()
              .map(p -> Tuple.tuple(p.name(), p.type())).toList());
          String value = s[field];
          assertThat(sql.params()).anySatisfy(p -> assertThat(p.value().equals(value)
              || (p.value() instanceof List<?> l && l.contains(value))).isTrue());
          checked++;
        }
      }
      assertThat(checked).isGreaterThan(2000);
    }
  }

  /** The sample cut to what field {@code field} accepts, or null when it can never be valid there. */
  static String fit(String s, int field) {
    return switch (field) {
      case 0 -> s.isBlank() ? null : HostileStrings.cut(s, TenantId.MAX_LENGTH);
      case 1 -> s.isEmpty() ? null : HostileStrings.cut(s, MetricQueryCompiler.MAX_NAME_LENGTH);
      case 2, 4, 7, 9, 10 -> s.isEmpty() ? null : HostileStrings.cut(s, MatcherPredicate.MAX_KEY_LENGTH);
      case 6 -> s.isEmpty() ? null : HostileStrings.cut(s, MatcherPredicate.MAX_REGEX_LENGTH);
      default -> HostileStrings.cut(s, MatcherPredicate.MAX_VALUE_LENGTH);
    };
  }
}
