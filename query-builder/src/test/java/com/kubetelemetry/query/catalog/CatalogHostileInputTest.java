/** Property-style check: any string in any catalog request field changes only parameter values, never the SQL text. */
package com.kubetelemetry.query.catalog;

import com.kubetelemetry.query.HostileStrings;
import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CatalogHostileInputTest {
  static final List<String> FIXED = List.of("'", "\"", "`", "\\", "\\'", "'; DROP TABLE otel.metrics_catalog; --",
      "{}", "{x:String}", "{p0:String}", "{p1:UInt32}", "\0", "a\0b", "\n", "a\n\nb", "\n\n\n", "\r\n\r\n",
      " \n \n ", "-- comment", "/* x */", "SETTINGS readonly=0", "é", "日本語", "😀", "\uD800", "Ω\u202E", "%s%n",
      "$1", "?", " ", "\t");

  /** Each request shape with its free-text fields taken from s: s[0] tenant, s[1..] the shape's fields. */
  static final List<Function<String[], Sql>> SHAPES = List.of(
      s -> CatalogCompilerTest.COMPILER.metrics(new TenantId(s[0]), MetricListing.all().withNamePrefix(s[1])
          .withServiceName(s[2]).withAfter(new MetricListing.Position(s[3], MetricKind.SUM))),
      s -> CatalogCompilerTest.COMPILER.keys(new TenantId(s[0]), AttributeListing.of(AttributeSource.RESOURCE)
          .withMetricName(s[1]).withPrefix(s[2])),
      s -> CatalogCompilerTest.COMPILER.values(new TenantId(s[0]), AttributeListing.of(AttributeSource.POINT)
          .withKey(s[1]).withMetricName(s[2]).withPrefix(s[3])),
      s -> CatalogCompilerTest.COMPILER.values(new TenantId(s[0]), AttributeListing.of(AttributeSource.SCOPE)
          .withKey(s[1]).withMetricName(s[2]).withPrefix(s[3]).withMatchers(List.of(
              AttributeMatcher.of(Target.ITEM, s[4], Op.EQ, s[5]),
              AttributeMatcher.of(Target.RESOURCE, "k", Op.IN, s[6], "fixed")))));
  static final int FIELDS = 7;

  @Test
  void anyStringOnlyChangesParameterValues() {
    Random random = new Random(20261123L);
    List<String> samples = new ArrayList<>(FIXED);
    for (int i = 0; i < 200; i++) {
      samples.add(HostileStrings.random(random));
    }
    int checked = 0;
    for (Function<String[], Sql> shape : SHAPES) {
      String[] benign = new String[FIELDS];
      Arrays.fill(benign, "x");
      Sql reference = shape.apply(benign);
      for (String hostile : samples) {
        for (int field = 0; field < FIELDS; field++) {
          String[] s = benign.clone();
          s[field] = fit(hostile, field);
          if (s[field] == null) {
            continue;
          }
          Sql sql = shape.apply(s);
          assertThat(sql.text()).as("field %d with %s", field, hostile).isEqualTo(reference.text());
          assertThat(sql.params()).extracting(Param::name, Param::type).isEqualTo(reference.params().stream()
              .map(p -> org.assertj.core.groups.Tuple.tuple(p.name(), p.type())).toList());
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(5000);
  }

  /** Blank tenants and empty keys are rejected (covered elsewhere); long strings are cut to what each field takes. */
  static String fit(String s, int field) {
    return switch (field) {
      case 0 -> s.isBlank() ? null : HostileStrings.cut(s, TenantId.MAX_LENGTH);
      case 1, 4 -> s.isEmpty() ? null : HostileStrings.cut(s, 256);
      default -> s.isEmpty() ? null : HostileStrings.cut(s, CatalogCompiler.MAX_TEXT_LENGTH);
    };
  }
}
