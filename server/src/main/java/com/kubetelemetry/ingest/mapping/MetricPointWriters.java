/** One block writer per metric table: gauge, sum, histogram, exponential histogram and summary points. */
package com.kubetelemetry.ingest.mapping;

import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.nativeformat.NativeBlockBuilder;
import com.kubetelemetry.storage.nativeformat.NativeColumn;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;

/** Each writer owns a {@link NativeBlockBuilder} with its table's columns; {@code build()} encodes the block. */
final class MetricPointWriters {
  private MetricPointWriters() {}

  static double numberValue(NumberDataPoint point) {
    return switch (point.getValueCase()) {
      case AS_DOUBLE -> point.getAsDouble();
      case AS_INT -> (double) point.getAsInt();
      case VALUE_NOT_SET -> 0.0;
    };
  }

  /** otel_metrics_gauge, and otel_metrics_sum when {@code sum} is true (adds temporality and monotonicity). */
  static final class Numbers {
    final NativeBlockBuilder builder;
    private final MetricColumns.Common common;
    private final NativeColumn.Float64Column value;
    private final NativeColumn.UInt32Column flags;
    private final MetricColumns.Exemplars exemplars;
    private final NativeColumn.Int32Column temporality;
    private final NativeColumn.BoolColumn monotonic;

    Numbers(int expectedRows, boolean sum) {
      builder = new NativeBlockBuilder(expectedRows);
      common = new MetricColumns.Common(builder);
      value = builder.float64("Value");
      flags = builder.uint32("Flags");
      exemplars = new MetricColumns.Exemplars(builder);
      temporality = sum ? builder.int32("AggregationTemporality") : null;
      monotonic = sum ? builder.bool("IsMonotonic") : null;
    }

    void add(MetricFields fields, NumberDataPoint point, AttributeWriter writer) {
      common.add(fields, point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(), writer);
      value.add(numberValue(point));
      flags.add(Integer.toUnsignedLong(point.getFlags()));
      exemplars.add(point.getExemplarsList(), writer);
    }

    void add(MetricFields fields, NumberDataPoint point, int aggregationTemporality, boolean isMonotonic,
        AttributeWriter writer) {
      add(fields, point, writer);
      temporality.add(aggregationTemporality);
      monotonic.add(isMonotonic);
    }

    NativeBlock build() {
      return builder.build();
    }
  }

  /** otel_metrics_histogram. Min and Max are 0 when the point does not carry them. */
  static final class Histograms {
    final NativeBlockBuilder builder;
    private final MetricColumns.Common common;
    private final NativeColumn.UInt64Column count;
    private final NativeColumn.Float64Column sum;
    private final NativeColumn.UInt64ArrayColumn bucketCounts;
    private final NativeColumn.Float64ArrayColumn explicitBounds;
    private final MetricColumns.Exemplars exemplars;
    private final NativeColumn.UInt32Column flags;
    private final NativeColumn.Float64Column min;
    private final NativeColumn.Float64Column max;
    private final NativeColumn.Int32Column temporality;

    Histograms(int expectedRows) {
      builder = new NativeBlockBuilder(expectedRows);
      common = new MetricColumns.Common(builder);
      count = builder.uint64("Count");
      sum = builder.float64("Sum");
      bucketCounts = builder.uint64Array("BucketCounts");
      explicitBounds = builder.float64Array("ExplicitBounds");
      exemplars = new MetricColumns.Exemplars(builder);
      flags = builder.uint32("Flags");
      min = builder.float64("Min");
      max = builder.float64("Max");
      temporality = builder.int32("AggregationTemporality");
    }

    void add(MetricFields fields, HistogramDataPoint point, int aggregationTemporality, AttributeWriter writer) {
      common.add(fields, point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(), writer);
      count.add(point.getCount());
      sum.add(point.getSum());
      for (int i = 0, n = point.getBucketCountsCount(); i < n; i++) {
        bucketCounts.add(point.getBucketCounts(i));
      }
      bucketCounts.endRow();
      for (int i = 0, n = point.getExplicitBoundsCount(); i < n; i++) {
        explicitBounds.add(point.getExplicitBounds(i));
      }
      explicitBounds.endRow();
      exemplars.add(point.getExemplarsList(), writer);
      flags.add(Integer.toUnsignedLong(point.getFlags()));
      min.add(point.getMin());
      max.add(point.getMax());
      temporality.add(aggregationTemporality);
    }

    NativeBlock build() {
      return builder.build();
    }
  }

  /** otel_metrics_exp_histogram. Min and Max are 0 when the point does not carry them. */
  static final class ExponentialHistograms {
    final NativeBlockBuilder builder;
    private final MetricColumns.Common common;
    private final NativeColumn.UInt64Column count;
    private final NativeColumn.Float64Column sum;
    private final NativeColumn.Int32Column scale;
    private final NativeColumn.UInt64Column zeroCount;
    private final NativeColumn.Int32Column positiveOffset;
    private final NativeColumn.UInt64ArrayColumn positiveBucketCounts;
    private final NativeColumn.Int32Column negativeOffset;
    private final NativeColumn.UInt64ArrayColumn negativeBucketCounts;
    private final MetricColumns.Exemplars exemplars;
    private final NativeColumn.UInt32Column flags;
    private final NativeColumn.Float64Column min;
    private final NativeColumn.Float64Column max;
    private final NativeColumn.Int32Column temporality;

    ExponentialHistograms(int expectedRows) {
      builder = new NativeBlockBuilder(expectedRows);
      common = new MetricColumns.Common(builder);
      count = builder.uint64("Count");
      sum = builder.float64("Sum");
      scale = builder.int32("Scale");
      zeroCount = builder.uint64("ZeroCount");
      positiveOffset = builder.int32("PositiveOffset");
      positiveBucketCounts = builder.uint64Array("PositiveBucketCounts");
      negativeOffset = builder.int32("NegativeOffset");
      negativeBucketCounts = builder.uint64Array("NegativeBucketCounts");
      exemplars = new MetricColumns.Exemplars(builder);
      flags = builder.uint32("Flags");
      min = builder.float64("Min");
      max = builder.float64("Max");
      temporality = builder.int32("AggregationTemporality");
    }

    void add(MetricFields fields, ExponentialHistogramDataPoint point, int aggregationTemporality,
        AttributeWriter writer) {
      common.add(fields, point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(), writer);
      count.add(point.getCount());
      sum.add(point.getSum());
      scale.add(point.getScale());
      zeroCount.add(point.getZeroCount());
      positiveOffset.add(point.getPositive().getOffset());
      for (int i = 0, n = point.getPositive().getBucketCountsCount(); i < n; i++) {
        positiveBucketCounts.add(point.getPositive().getBucketCounts(i));
      }
      positiveBucketCounts.endRow();
      negativeOffset.add(point.getNegative().getOffset());
      for (int i = 0, n = point.getNegative().getBucketCountsCount(); i < n; i++) {
        negativeBucketCounts.add(point.getNegative().getBucketCounts(i));
      }
      negativeBucketCounts.endRow();
      exemplars.add(point.getExemplarsList(), writer);
      flags.add(Integer.toUnsignedLong(point.getFlags()));
      min.add(point.getMin());
      max.add(point.getMax());
      temporality.add(aggregationTemporality);
    }

    NativeBlock build() {
      return builder.build();
    }
  }

  /** otel_metrics_summary, with {@code ValueAtQuantiles Nested(Quantile, Value)}. */
  static final class Summaries {
    final NativeBlockBuilder builder;
    private final MetricColumns.Common common;
    private final NativeColumn.UInt64Column count;
    private final NativeColumn.Float64Column sum;
    private final NativeColumn.Float64ArrayColumn quantile;
    private final NativeColumn.Float64ArrayColumn quantileValue;
    private final NativeColumn.UInt32Column flags;

    Summaries(int expectedRows) {
      builder = new NativeBlockBuilder(expectedRows);
      common = new MetricColumns.Common(builder);
      count = builder.uint64("Count");
      sum = builder.float64("Sum");
      quantile = builder.float64Array("ValueAtQuantiles.Quantile");
      quantileValue = builder.float64Array("ValueAtQuantiles.Value");
      flags = builder.uint32("Flags");
    }

    void add(MetricFields fields, SummaryDataPoint point, AttributeWriter writer) {
      common.add(fields, point.getAttributesList(), point.getStartTimeUnixNano(), point.getTimeUnixNano(), writer);
      count.add(point.getCount());
      sum.add(point.getSum());
      for (SummaryDataPoint.ValueAtQuantile q : point.getQuantileValuesList()) {
        quantile.add(q.getQuantile());
        quantileValue.add(q.getValue());
      }
      quantile.endRow();
      quantileValue.endRow();
      flags.add(Integer.toUnsignedLong(point.getFlags()));
    }

    NativeBlock build() {
      return builder.build();
    }
  }
}
