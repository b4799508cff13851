/** Runs a compiled metric query on the engine and compares its series with expected ones: shared by the engine tests. */
package com.kubetelemetry.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.data.Offset;

final class EngineSeries {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EngineSeries() {}

  /** The query's series by labels (group values, or point attributes plus service.name); NaN marks a gap. */
  static Map<Map<String, String>, double[]> decode(Store store, CompiledMetricQuery c) {
    Map<Map<String, String>, double[]> out = new LinkedHashMap<>();
    try {
      for (String line : store.query(c.sql(), "JSONCompactEachRow").text().split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode row = JSON.readTree(line);
        Map<String, String> labels = new LinkedHashMap<>();
        if (c.aggregated()) {
          for (int i = 0; i < c.labelKeys().size(); i++) {
            labels.put(c.labelKeys().get(i), row.get(2).get(i).asText());
          }
        } else {
          row.get(1).properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
          labels.put("service.name", row.get(0).asText());
        }
        double[] v = new double[c.grid().points()];
        Arrays.fill(v, Double.NaN);
        row.get(3).forEach(p -> v[p.get(0).asInt()] = p.get(1).asDouble());
        out.put(labels, v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Same series, values equal exactly (NaN, a gap, equal to NaN). */
  static boolean exact(Map<Map<String, String>, double[]> actual, Map<Map<String, String>, double[]> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((labels, v) -> assertThat(actual.get(labels)).as("%s", labels).containsExactly(v));
    return true;
  }

  /** Same series, values equal within 1e-9 relative (sums in another order), gaps where expected. */
  static boolean close(Map<Map<String, String>, double[]> actual, Map<Map<String, String>, double[]> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((labels, v) -> {
      double[] a = actual.get(labels);
      for (int k = 0; k < v.length; k++) {
        if (Double.isNaN(v[k])) {
          assertThat(a[k]).as("%s step %d", labels, k).isNaN();
        } else {
          assertThat(a[k]).as("%s step %d", labels, k).isCloseTo(v[k],
              Offset.offset(1e-9 * Math.max(1, Math.abs(v[k]))));
        }
      }
    });
    return true;
  }
}
