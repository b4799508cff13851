/** Property-style check: any string in any free-text field of a logs request changes only parameter values. */
package com.kubetelemetry.query.logs;

import com.kubetelemetry.query.HostileStrings;
import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.MatcherPredicate;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class LogsHostileInputTest {
  static final int FIELDS = 10;
  static final List<String> FIXED = List.of("'", "\"", "`", "\\", "\\'", "'; DROP TABLE otel.otel_logs; --", "{}",
      "{x:String}", "{p0:String}", "\0", "a\0b", "\n", "a\n\nb", "\n\n\n", "\r\n\r\n", "-- c", "/* x */", "%", "_",
      "\\%", "%_\\", "SETTINGS readonly=0", "é", "日本語", "😀", "\uD800", "Ω\u202E", " ", "\t", "a-b.c/d");

  static LogFilter filter(String[] s) {
    return LogFilter.all().withTerms(s[1], s[2]).withServiceName(s[3]).withMatchers(List.of(
        AttributeMatcher.of(Target.RESOURCE, s[4], Op.EQ, s[5]),
        AttributeMatcher.of(Target.ITEM, s[6], Op.REGEX, s[7]),
        AttributeMatcher.of(Target.SCOPE, s[8], Op.IN, s[9], "fixed")));
  }

  static final List<Function<String[], Sql>> STATEMENTS = List.of(
      s -> LogSearchCompilerTest.COMPILER.compile(new TenantId(s[0]), LogSearch.of(filter(s))
          .withCursor(new LogCursor(7, BigInteger.ONE, 2))).sql(),
      s -> LogHistogramAndTailCompilerTest.HISTOGRAM.compile(new TenantId(s[0]),
          new LogHistogram(null, null, filter(s))).sql(),
      s -> LogHistogramAndTailCompilerTest.TAIL.compile(new TenantId(s[0]), filter(s),
          new LogCursor(7, BigInteger.ONE, 0), LogSearchCompilerTest.NOW, LogSearchCompilerTest.NOW, 10));

  static String[] benign() {
    String[] s = new String[FIELDS];
    Arrays.fill(s, "x");
    return s;
  }

  @Test
  void anyStringOnlyChangesParameterValues() {
    Random random = new Random(20261123L);
    List<String> samples = new ArrayList<>(FIXED);
    for (int i = 0; i < 200; i++) {
      samples.add(HostileStrings.random(random));
    }
    int checked = 0;
    for (Function<String[], Sql> statement : STATEMENTS) {
      Sql reference = statement.apply(benign());
      assertThat(reference.text()).doesNotContain("\n\n");
      for (String hostile : samples) {
        for (int field = 0; field < FIELDS; field++) {
          String[] s = benign();
          s[field] = fit(hostile, field);
          if (s[field] == null) {
            continue;
          }
          Sql sql = statement.apply(s);
          assertThat(sql.text()).as("field %d with %s", field, hostile).isEqualTo(reference.text());
          assertThat(sql.params()).extracting(Param::name, Param::type).isEqualTo(reference.params().stream()
              .map(p -> Tuple.tuple(p.name(), p.type())).toList());
          String value = s[field];
          assertThat(sql.params()).anySatisfy(p -> assertThat(p.value().equals(value)
              || (p.value() instanceof List<?> l && l.contains(value))).isTrue());
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(6000);
  }

  static String fit(String s, int field) {
    return switch (field) {
      case 0 -> s.isBlank() ? null : HostileStrings.cut(s, TenantId.MAX_LENGTH);
      case 1, 2 -> s.isEmpty() ? null : HostileStrings.cut(s, LogFilterCompiler.MAX_TERM_LENGTH);
      case 3 -> s.isEmpty() ? null : HostileStrings.cut(s, LogFilterCompiler.MAX_NAME_LENGTH);
      case 4, 6, 8 -> s.isEmpty() ? null : HostileStrings.cut(s, MatcherPredicate.MAX_KEY_LENGTH);
      case 7 -> s.isEmpty() ? null : HostileStrings.cut(s, MatcherPredicate.MAX_REGEX_LENGTH);
      default -> HostileStrings.cut(s, MatcherPredicate.MAX_VALUE_LENGTH);
    };
  }
}
