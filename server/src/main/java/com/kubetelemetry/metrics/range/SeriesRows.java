/** Reads the rows of a compiled metric query (JSONCompactEachRow, one row per series) into labelled value arrays. */
package com.kubetelemetry.metrics.range;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.query.metrics.CompiledMetricQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Column order and meaning are documented on {@link CompiledMetricQuery}. */
final class SeriesRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One decoded series.
   *
   * @param labels the series labels
   * @param values one value per step; NaN where {@code present} is false
   * @param present true for steps with a value
   */
  record DecodedSeries(Map<String, String> labels, double[] values, boolean[] present) {}

  /** All series of a result, and how many matched before the limit (0 when none). */
  record Decoded(List<DecodedSeries> series, long totalSeries) {}

  private SeriesRows() {}

  static Decoded decode(String text, CompiledMetricQuery query) {
    int steps = query.grid().points();
    List<DecodedSeries> out = new ArrayList<>();
    long total = 0;
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode row;
      try {
        row = JSON.readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable metric query row", e);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (query.aggregated()) {
        JsonNode groups = row.get(2);
        for (int i = 0; i < query.labelKeys().size(); i++) {
          labels.put(query.labelKeys().get(i), groups.get(i).asText());
        }
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = row.get(1).fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          labels.put(e.getKey(), e.getValue().asText());
        }
        labels.put("service.name", row.get(0).asText());
      }
      double[] values = new double[steps];
      boolean[] present = new boolean[steps];
      Arrays.fill(values, Double.NaN);
      for (JsonNode point : row.get(3)) {
        int step = point.get(0).asInt();
        if (step >= 0 && step < steps && point.get(1).isNumber()) {
          values[step] = point.get(1).asDouble();
          present[step] = true;
        }
      }
      total = row.get(5).asLong();
      out.add(new DecodedSeries(labels, values, present));
    }
    return new Decoded(out, total);
  }
}
