/** What is known about a stored metric before its points are queried: its kind, temporality and monotonicity. */
package com.kubetelemetry.query.metrics;

import com.kubetelemetry.query.SignalTable;
import java.util.Objects;

/**
 * Found by {@link MetricLookupCompiler}'s statement. Gauges are never cumulative nor monotonic.
 *
 * @param kind the table the metric is stored in
 * @param cumulative true for cumulative sums and histograms, false for delta ones and gauges
 * @param monotonic true for sums that only increase (counters)
 * @param unit the unit as stored, possibly empty
 */
public record MetricShape(MetricKind kind, boolean cumulative, boolean monotonic, String unit) {

  /** The point kinds the query compiler reads. */
  public enum MetricKind {
    GAUGE(SignalTable.METRICS_GAUGE, 1),
    SUM(SignalTable.METRICS_SUM, 2),
    HISTOGRAM(SignalTable.METRICS_HISTOGRAM, 3),
    EXP_HISTOGRAM(SignalTable.METRICS_EXP_HISTOGRAM, 4),
    SUMMARY(SignalTable.METRICS_SUMMARY, 5);

    private final SignalTable table;
    private final int code;

    MetricKind(SignalTable table, int code) {
      this.table = table;
      this.code = code;
    }

    public SignalTable table() {
      return table;
    }

    /** The number of the kind in the lookup result (and the telemetry.v1.MetricType value). */
    public int code() {
      return code;
    }

    public static MetricKind ofCode(int code) {
      for (MetricKind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown metric kind code " + code);
    }

    boolean histogram() {
      return this == HISTOGRAM || this == EXP_HISTOGRAM;
    }
  }

  public MetricShape {
    Objects.requireNonNull(kind, "kind");
    unit = unit == null ? "" : unit;
  }

  /** A cumulative monotonic sum: rate and increase need counter-reset handling. */
  public boolean counter() {
    return kind == MetricKind.SUM && cumulative && monotonic;
  }
}
