/** The top-level metric columns a query may group by, under their API (snake_case) and storage names. */
package com.kubetelemetry.query.metrics;

import java.util.Map;
import java.util.TreeMap;

final class GroupColumns {
  private static final Map<String, String> COLUMNS = columns();

  private GroupColumns() {}

  private static Map<String, String> columns() {
    TreeMap<String, String> m = new TreeMap<>();
    m.put("service_name", "ServiceName");
    m.put("metric_name", "MetricName");
    m.put("metric_unit", "MetricUnit");
    m.put("scope_name", "ScopeName");
    m.put("scope_version", "ScopeVersion");
    return m;
  }

  /** The storage column for API field {@code key} (also accepting the storage name); INVALID_ARGUMENT otherwise. */
  static String column(String key, String field) {
    String column = COLUMNS.get(key);
    if (column == null && COLUMNS.containsValue(key)) {
      column = key;
    }
    if (column == null) {
      throw MetricErrors.invalid(field, "unknown field `" + MetricErrors.shorten(key) + "` for metric points: use"
          + " one of " + String.join(", ", COLUMNS.keySet()));
    }
    return column;
  }
}
