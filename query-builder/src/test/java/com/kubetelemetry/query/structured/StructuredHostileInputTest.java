/** Property-style check: any string in any field of a structured query changes only parameter values, never SQL. */
package com.kubetelemetry.query.structured;

import com.kubetelemetry.query.HostileStrings;
import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.structured.StructuredQuery.Function;
import com.kubetelemetry.query.structured.StructuredQuery.Ordering;
import com.kubetelemetry.query.structured.StructuredQuery.Selection;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StructuredHostileInputTest {
  static AttributeRef field(String key) {
    return new AttributeRef(Target.COLUMN, key);
  }

  static AttributeRef resource(String key) {
    return new AttributeRef(Target.RESOURCE, key);
  }

  static AttributeRef item(String key) {
    return new AttributeRef(Target.ITEM, key);
  }

  static AttributeRef scope(String key) {
    return new AttributeRef(Target.SCOPE, key);
  }

  /** Free-text fields of the sample query; index i of a String[] fills field i. */
  static final int FIELDS = 12;

  static final List<String> FIXED = List.of("'", "\"", "`", "\\", "\\'", "'; DROP TABLE otel.otel_logs; --",
      "{}", "{x:String}", "{p0:String}", "{p1:UInt32}", "\0", "a\0b", "\n", "a\n\nb", "\n\n\n", "\r\n\r\n",
      " \n \n ", "-- comment", "/* x */", "SETTINGS readonly=0", "c0", "bucket", "time", "count", "é", "日本語", "😀",
      "\uD800", "Ω\u202E", "%s%n", "$1", "?", " ", "\t", ") AS c9 FROM system.tables --");

  /** The sample query (every string-carrying part) with field i taken from {@code s[i]}. */
  static Sql compile(String[] s) {
    StructuredQuery q = new StructuredQuery(QuerySignal.LOGS, List.of(
        Selection.of(resource(s[1])),
        Selection.of(Function.AVG, item(s[2])),
        Selection.of(Function.COUNT, scope(s[3])).as(s[10]),
        new Selection(item(s[2]), Function.QUANTILE, 0.5, "q")),
        List.of(AttributeMatcher.of(Target.RESOURCE, s[4], Op.EQ, s[5]),
            AttributeMatcher.of(Target.ITEM, s[6], Op.REGEX, s[7]),
            AttributeMatcher.of(Target.SCOPE, "fixed", Op.IN, s[8], "other"),
            AttributeMatcher.of(Target.COLUMN, "service_name", Op.NEQ, s[9])),
        List.of(resource(s[1])), Duration.ofMinutes(1),
        List.of(new Ordering(s[11], true)), 10);
    return StructuredQueryCompilerTest.COMPILER.compile(new TenantId(s[0]), q, null, RowBudget.QUERY).sql();
  }

  /** Output column names of the benign query: an order_by naming one of them changes the ORDER BY, as it should. */
  static final List<String> OUTPUT_NAMES = List.of("time", "resource.x", "avg(attribute.x)", "scoped", "q");

  static String[] benign() {
    String[] s = new String[FIELDS];
    Arrays.fill(s, "x");
    s[10] = "scoped";
    s[11] = "q";
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
    int compiled = 0;
    int rejected = 0;
    for (String hostile : samples) {
      for (int field = 0; field < FIELDS; field++) {
        String[] s = benign();
        s[field] = hostile;
        if (field == 11 && OUTPUT_NAMES.contains(hostile)) {
          continue; // naming another output column legitimately orders by it
        }
        Sql sql;
        try {
          sql = compile(s);
        } catch (QueryException e) {
          assertThat(e.kind()).isEqualTo(QueryException.Kind.INVALID_ARGUMENT);
          rejected++;
          continue;
        }
        assertThat(sql.text()).as("field %d = %s", field, hostile).isEqualTo(reference.text());
        assertThat(sql.params()).extracting(Param::name).isEqualTo(reference.params().stream()
            .map(Param::name).toList());
        assertThat(sql.settings()).isEqualTo(reference.settings());
        compiled++;
      }
    }
    assertThat(compiled).isGreaterThan(samples.size() * 6);
    assertThat(rejected).isPositive();
  }
}
