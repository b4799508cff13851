/** The SQL writer: parameter naming, line rules and the limits it attaches. */
package com.kubetelemetry.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlBuilderTest {

  @Test
  void namesParametersInOrderAndAttachesLimits() {
    SqlBuilder b = new SqlBuilder();
    String a = b.param("String", "x");
    String c = b.param("UInt32", 5);
    Sql sql = b.line("SELECT " + a).line("LIMIT " + c).build(new QueryLimits(7, 1000, 50));
    assertThat(sql.text()).isEqualTo("SELECT {p0:String}\nLIMIT {p1:UInt32}");
    assertThat(sql.params()).containsExactly(new Param("p0", "String", "x"), new Param("p1", "UInt32", 5));
    assertThat(sql.settings()).isEqualTo(Map.of("max_execution_time", "7", "max_rows_to_read", "1000",
        "max_result_rows", "50", "result_overflow_mode", "'throw'", "readonly", "1"));
  }

  @Test
  void defaultLimits() {
    assertThat(QueryLimits.defaults()).isEqualTo(new QueryLimits(30, 1_000_000_000L, 100_000L));
    assertThatThrownBy(() -> new QueryLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesBlankOrMultiLineText() {
    SqlBuilder b = new SqlBuilder();
    for (String bad : List.of("", "   ", "a\nb", "a\r\nb")) {
      assertThatThrownBy(() -> b.line(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void tenantIsRequiredAndBounded() {
    assertThatThrownBy(() -> new TenantId(" ")).isInstanceOfSatisfying(QueryException.class,
        e -> assertThat(e.field()).isEqualTo("tenant"));
    assertThatThrownBy(() -> new TenantId(null)).isInstanceOf(QueryException.class);
    assertThatThrownBy(() -> new TenantId("t".repeat(129))).isInstanceOf(QueryException.class);
    assertThat(new TenantId("acme").tenant()).isEqualTo("acme");
  }
}
