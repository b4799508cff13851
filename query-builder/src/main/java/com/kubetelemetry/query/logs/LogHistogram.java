/** A log histogram request: the records of a filter counted per step and severity level over a time range. */
package com.kubetelemetry.query.logs;

import com.kubetelemetry.query.TimeRange;
import java.time.Duration;

/**
 * @param timeRange null for the default range
 * @param step bucket width; null to pick one giving about {@link LogHistogramCompiler#TARGET_POINTS} buckets
 * @param filter conditions on the records
 */
public record LogHistogram(TimeRange timeRange, Duration step, LogFilter filter) {
  public LogHistogram {
    filter = filter == null ? LogFilter.all() : filter;
  }
}
