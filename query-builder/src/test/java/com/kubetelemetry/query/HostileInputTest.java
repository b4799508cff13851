/** Property-style check: any string in any request field changes only parameter values, never the SQL text. */
package com.kubetelemetry.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HostileInputTest {
  /** Fields of the request below that take free text; index i of a String[] fills field i. */
  static final int FIELDS = 14;

  static final List<String> FIXED = List.of("'", "\"", "`", "\\", "\\'", "'; DROP TABLE otel.otel_traces; --",
      "{}", "{x:String}", "{p0:String}", "{p1:UInt32}", "\0", "a\0b", "\n", "a\n\nb", "\n\n\n", "\r\n\r\n", " \n \n ",
      "-- comment", "/* x */", "SETTINGS readonly=0", "é", "日本語", "😀", "\uD800", "Ω\u202E", "%s%n", "$1", "?",
      " ", "\t");

  /** The sample request with field i taken from {@code s[i]}. */
  static Sql compile(String[] s) {
    TraceSearch search = TraceSearch.all().withService(s[1]).withSpanName(s[2])
        .withMatchers(List.of(
            AttributeMatcher.of(Target.RESOURCE, s[3], Op.EQ, s[4]),
            AttributeMatcher.of(Target.ITEM, s[5], Op.NEQ, s[6]),
            AttributeMatcher.of(Target.SCOPE, s[7], Op.REGEX, s[8]),
            AttributeMatcher.of(Target.RESOURCE, s[9], Op.IN, s[10], "fixed"),
            AttributeMatcher.of(Target.COLUMN, "status_message", Op.NOT_REGEX, s[11]),
            AttributeMatcher.of(Target.ITEM, s[12], Op.EXISTS),
            AttributeMatcher.of(Target.COLUMN, "span_name", Op.IN, s[13])));
    return TraceSearchCompilerTest.COMPILER.candidates(new TenantId(s[0]), search);
  }

  static String[] benign() {
    String[] s = new String[FIELDS];
    Arrays.fill(s, "x");
    s[7] = "name";
    return s;
  }

  @Test
  void anyStringOnlyChangesParameterValues() {
    Sql reference = compile(benign());
    assertThat(reference.text()).doesNotContain("\n\n");
    Random random = new Random(20261123L);
    List<String> samples = new ArrayList<>(FIXED);
    for (int i = 0; i < 300; i++) {
      samples.add(HostileStrings.random(random));
    }
    samples.add("x".repeat(128));
    int checked = 0;
    for (String hostile : samples) {
      for (int field = 0; field < FIELDS; field++) {
        String[] s = benign();
        s[field] = fit(hostile, field);
        if (s[field] == null) {
          continue;
        }
        Sql sql = compile(s);
        assertThat(sql.text()).as("field %d with %s", field, hostile).isEqualTo(reference.text());
        assertThat(sql.text()).doesNotContain("\n\n");
        assertThat(sql.params()).extracting(Param::name, Param::type)
            .isEqualTo(reference.params().stream().map(p -> org.assertj.core.groups.Tuple.tuple(p.name(),
                p.type())).toList());
        String value = s[field];
        assertThat(sql.params()).anySatisfy(p -> assertThat(p.value().equals(value)
            || (p.value() instanceof List<?> l && l.contains(value))).isTrue());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(4000);
  }

  @Test
  void hostileStringsWhereIdentifiersOrDurationsGoAreRejectedNamingTheField() {
    Random random = new Random(7L);
    List<String> samples = new ArrayList<>(FIXED);
    for (int i = 0; i < 100; i++) {
      samples.add(HostileStrings.random(random));
    }
    for (String hostile : samples) {
      assertThatThrownBy(() -> TraceSearchCompilerTest.COMPILER.candidates(TraceSearchCompilerTest.TENANT,
          TraceSearch.all().withMatchers(List.of(AttributeMatcher.of(Target.COLUMN, hostile, Op.EQ, "v")))))
          .isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.field()).isEqualTo("matchers[0].key");
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\0");
          });
      assertThatThrownBy(() -> TraceSearchCompilerTest.COMPILER.candidates(TraceSearchCompilerTest.TENANT,
          TraceSearch.all().withTimeRange(TimeRange.last(hostile))))
          .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.field()).isEqualTo("time_range.relative"));
    }
  }

  /** The sample adjusted to what field {@code field} accepts, or null when it can never be valid there. */
  static String fit(String s, int field) {
    return switch (field) {
      case 0 -> s.isBlank() ? null : HostileStrings.cut(s, TenantId.MAX_LENGTH);
      case 3, 5, 9, 12 -> s.isEmpty() ? null : HostileStrings.cut(s, MatcherPredicate.MAX_KEY_LENGTH);
      case 7 -> null; // scope key on spans is name or version: covered by the identifier test
      case 8, 11 -> s.isEmpty() ? null : HostileStrings.cut(s, MatcherPredicate.MAX_REGEX_LENGTH);
      default -> HostileStrings.cut(s, TraceSearchCompiler.MAX_NAME_LENGTH);
    };
  }
}
