/** Converts request attribute matchers into the query builder's {@link AttributeMatcher}s for metric tables. */
package com.kubetelemetry.metrics.range;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Field names map to the metric tables' columns; operators the builder cannot render yet are rejected. */
final class ProtoMatchers {
  private static final Map<String, String> FIELDS = Map.of("service_name", "ServiceName", "metric_name",
      "MetricName", "metric_unit", "MetricUnit", "scope_name", "ScopeName", "scope_version", "ScopeVersion");

  private ProtoMatchers() {}

  static List<AttributeMatcher> convert(List<com.kubetelemetry.api.v1.AttributeMatcher> in, String field) {
    List<AttributeMatcher> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      var m = in.get(i);
      String path = field + "[" + i + "]";
      AttributeMatcher.Target target = ProtoMetricQuery.target(m.getTarget(), path + ".target");
      String key = m.getKey();
      if (target == AttributeMatcher.Target.COLUMN) {
        key = FIELDS.getOrDefault(key, key);
      }
      Op op = switch (m.getOperator()) {
        case MATCH_OPERATOR_UNSPECIFIED, MATCH_OPERATOR_EQUAL -> Op.EQ;
        case MATCH_OPERATOR_NOT_EQUAL -> Op.NEQ;
        case MATCH_OPERATOR_REGEX -> Op.REGEX;
        case MATCH_OPERATOR_NOT_REGEX -> Op.NOT_REGEX;
        case MATCH_OPERATOR_IN -> Op.IN;
        case MATCH_OPERATOR_EXISTS -> Op.EXISTS;
        case MATCH_OPERATOR_NOT_EXISTS -> Op.NOT_EXISTS;
        default -> throw ProtoMetricQuery.invalid(path + ".operator", "operator " + m.getOperator()
            + " is not supported for metric queries yet");
      };
      List<String> values = switch (op) {
        case IN -> m.getValuesList();
        case EXISTS, NOT_EXISTS -> List.of();
        default -> List.of(m.getValue());
      };
      out.add(new AttributeMatcher(target, key, op, values));
    }
    return out;
  }
}
