/** Maps an OTLP metrics export to rows of the five otel_metrics_* tables, validating each data point. */
package com.kubetelemetry.ingest.mapping;

import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.nativeformat.EncodedMap;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.HashMap;
import java.util.Map;

/**
 * Gauge, sum, histogram, exponential histogram and summary points go to otel_metrics_gauge, _sum, _histogram,
 * _exp_histogram and _summary, with the Collector's ClickHouse exporter's columns and values (integer values as
 * Float64, AggregationTemporality as its enum number, Min/Max 0 when absent) plus {@code TenantId}. Items are data
 * points. Rejected: every point of a metric without a name, points without a time, and histogram points whose
 * bucket_counts is non-empty but not one longer than explicit_bounds. Thread-safe.
 */
public final class MetricRowMapper {
  public static final String GAUGE_TABLE = "otel_metrics_gauge";
  public static final String SUM_TABLE = "otel_metrics_sum";
  public static final String HISTOGRAM_TABLE = "otel_metrics_histogram";
  public static final String EXP_HISTOGRAM_TABLE = "otel_metrics_exp_histogram";
  public static final String SUMMARY_TABLE = "otel_metrics_summary";

  private final MappingLimits limits;
  private final AttributeWriter attributes;

  public MetricRowMapper(MappingLimits limits) {
    this.limits = limits;
    this.attributes = new AttributeWriter(limits);
  }

  public MappedExport map(WriteScope scope, ExportMetricsServiceRequest request) {
    Export export = new Export(request);
    for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
      ResourceFields resource = null;
      for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        EncodedMap scopeAttributes = null;
        for (Metric metric : scopeMetrics.getMetricsList()) {
          int points = pointCount(metric);
          if (points == 0) {
            continue;
          }
          if (metric.getName().isEmpty()) {
            export.rejections.reject(points, "a metric has no name (metric.name is empty)");
            continue;
          }
          if (resource == null) {
            resource = ResourceFields.of(scope, resourceMetrics.getResource(), attributes);
          }
          if (scopeAttributes == null) {
            scopeAttributes = attributes.encode(scopeMetrics.getScope().getAttributesList());
          }
          MetricFields fields = new MetricFields(resource, resourceMetrics.getSchemaUrl(),
              scopeMetrics.getScope().getName(), scopeMetrics.getScope().getVersion(), scopeAttributes,
              scopeMetrics.getScope().getDroppedAttributesCount(), scopeMetrics.getSchemaUrl(), metric.getName(),
              metric.getDescription(), metric.getUnit());
          mapMetric(export, fields, metric);
        }
      }
    }
    return export.result();
  }

  private void mapMetric(Export export, MetricFields fields, Metric metric) {
    switch (metric.getDataCase()) {
      case GAUGE -> {
        for (NumberDataPoint point : metric.getGauge().getDataPointsList()) {
          if (hasTime(export, fields, point.getTimeUnixNano())) {
            export.gauges().add(fields, point, attributes);
          }
        }
      }
      case SUM -> {
        Sum sum = metric.getSum();
        for (NumberDataPoint point : sum.getDataPointsList()) {
          if (hasTime(export, fields, point.getTimeUnixNano())) {
            export.sums().add(fields, point, sum.getAggregationTemporalityValue(), sum.getIsMonotonic(), attributes);
          }
        }
      }
      case HISTOGRAM -> {
        Histogram histogram = metric.getHistogram();
        for (HistogramDataPoint point : histogram.getDataPointsList()) {
          if (hasTime(export, fields, point.getTimeUnixNano()) && hasConsistentBuckets(export, fields, point)) {
            export.histograms().add(fields, point, histogram.getAggregationTemporalityValue(), attributes);
          }
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        ExponentialHistogram histogram = metric.getExponentialHistogram();
        for (ExponentialHistogramDataPoint point : histogram.getDataPointsList()) {
          if (hasTime(export, fields, point.getTimeUnixNano())) {
            export.exponentialHistograms().add(fields, point, histogram.getAggregationTemporalityValue(),
                attributes);
          }
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint point : metric.getSummary().getDataPointsList()) {
          if (hasTime(export, fields, point.getTimeUnixNano())) {
            export.summaries().add(fields, point, attributes);
          }
        }
      }
      case DATA_NOT_SET -> {
        // No data points: nothing to write or reject.
      }
    }
  }

  private static boolean hasTime(Export export, MetricFields fields, long timeUnixNano) {
    if (timeUnixNano != 0) {
      return true;
    }
    export.rejections.reject(1, "metric " + Rejections.quote(fields.metricName())
        + " has a data point without a time (time_unix_nano is 0)");
    return false;
  }

  private static boolean hasConsistentBuckets(Export export, MetricFields fields, HistogramDataPoint point) {
    int buckets = point.getBucketCountsCount();
    int bounds = point.getExplicitBoundsCount();
    if (buckets == 0 || buckets == bounds + 1) {
      return true;
    }
    export.rejections.reject(1, "histogram " + Rejections.quote(fields.metricName()) + " has " + buckets
        + " bucket counts for " + bounds + " explicit bounds (must be bounds + 1)");
    return false;
  }

  static int pointCount(Metric metric) {
    return switch (metric.getDataCase()) {
      case GAUGE -> metric.getGauge().getDataPointsCount();
      case SUM -> metric.getSum().getDataPointsCount();
      case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> metric.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
  }

  /** The state of one map() call: table writers created on first use, and the rejections. */
  private final class Export {
    final Rejections rejections = new Rejections("data point", "data points", limits.maxReportedProblems());
    /** Points per data kind (indexed by Metric.DataCase ordinal): sizes each table's buffers. */
    private final int[] expectedRows = new int[Metric.DataCase.values().length];
    private MetricPointWriters.Numbers gauges;
    private MetricPointWriters.Numbers sums;
    private MetricPointWriters.Histograms histograms;
    private MetricPointWriters.ExponentialHistograms exponentialHistograms;
    private MetricPointWriters.Summaries summaries;

    Export(ExportMetricsServiceRequest request) {
      for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
        for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
          for (Metric metric : scopeMetrics.getMetricsList()) {
            expectedRows[metric.getDataCase().ordinal()] += pointCount(metric);
          }
        }
      }
    }

    private int expected(Metric.DataCase kind) {
      return expectedRows[kind.ordinal()];
    }

    MetricPointWriters.Numbers gauges() {
      if (gauges == null) {
        gauges = new MetricPointWriters.Numbers(expected(Metric.DataCase.GAUGE), false);
      }
      return gauges;
    }

    MetricPointWriters.Numbers sums() {
      if (sums == null) {
        sums = new MetricPointWriters.Numbers(expected(Metric.DataCase.SUM), true);
      }
      return sums;
    }

    MetricPointWriters.Histograms histograms() {
      if (histograms == null) {
        histograms = new MetricPointWriters.Histograms(expected(Metric.DataCase.HISTOGRAM));
      }
      return histograms;
    }

    MetricPointWriters.ExponentialHistograms exponentialHistograms() {
      if (exponentialHistograms == null) {
        exponentialHistograms = new MetricPointWriters.ExponentialHistograms(
            expected(Metric.DataCase.EXPONENTIAL_HISTOGRAM));
      }
      return exponentialHistograms;
    }

    MetricPointWriters.Summaries summaries() {
      if (summaries == null) {
        summaries = new MetricPointWriters.Summaries(expected(Metric.DataCase.SUMMARY));
      }
      return summaries;
    }

    MappedExport result() {
      Map<String, NativeBlock> blocks = new HashMap<>();
      long accepted = 0;
      if (gauges != null) {
        accepted += put(blocks, GAUGE_TABLE, gauges.build());
      }
      if (sums != null) {
        accepted += put(blocks, SUM_TABLE, sums.build());
      }
      if (histograms != null) {
        accepted += put(blocks, HISTOGRAM_TABLE, histograms.build());
      }
      if (exponentialHistograms != null) {
        accepted += put(blocks, EXP_HISTOGRAM_TABLE, exponentialHistograms.build());
      }
      if (summaries != null) {
        accepted += put(blocks, SUMMARY_TABLE, summaries.build());
      }
      return new MappedExport(blocks, accepted, rejections.count(), rejections.message());
    }

    private static int put(Map<String, NativeBlock> blocks, String table, NativeBlock block) {
      blocks.put(table, block);
      return block.rows();
    }
  }
}
