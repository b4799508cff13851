/** Renders a compiled statement as the API's ExplainedStatement: SQL text, typed parameters and settings. */
package com.kubetelemetry.structured;

import com.kubetelemetry.api.v1.ExplainedStatement;
import com.kubetelemetry.api.v1.QuerySetting;
import com.kubetelemetry.api.v1.SqlParameter;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parameter values are shown as ClickHouse reads them for their type: text as is, instants as seconds since the
 * epoch with nine decimals (exact for DateTime64(9), independent of time zones), arrays and maps as literals with
 * quoted, backslash-escaped elements. Settings are listed by name.
 */
final class ExplainedStatements {
  private ExplainedStatements() {}

  static ExplainedStatement of(PlannedStatement planned) {
    String purpose = planned.purpose();
    Sql sql = planned.sql();
    ExplainedStatement.Builder out = ExplainedStatement.newBuilder().setPurpose(purpose).setSql(sql.text());
    for (Param p : sql.params()) {
      out.addParameters(SqlParameter.newBuilder().setName(p.name()).setType(p.type()).setValue(text(p.value())));
    }
    for (Map.Entry<String, String> e : new TreeMap<>(sql.settings()).entrySet()) {
      out.addSettings(QuerySetting.newBuilder().setName(e.getKey()).setValue(e.getValue()));
    }
    return out.build();
  }

  static String text(Object value) {
    return switch (value) {
      case Instant i -> i.getEpochSecond() + "." + String.format("%09d", i.getNano());
      case List<?> list -> {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
          sb.append(i > 0 ? "," : "").append(element(list.get(i)));
        }
        yield sb.append(']').toString();
      }
      case Map<?, ?> map -> {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          sb.append(first ? "" : ",").append(element(e.getKey())).append(':').append(element(e.getValue()));
          first = false;
        }
        yield sb.append('}').toString();
      }
      default -> String.valueOf(value);
    };
  }

  private static String element(Object value) {
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    String s = text(value);
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
