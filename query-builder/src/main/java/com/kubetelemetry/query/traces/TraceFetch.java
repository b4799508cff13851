/** A request for every span of one trace: its id, an optional period it lies in, and a span limit. */
package com.kubetelemetry.query.traces;

/**
 * @param traceId the id as the caller wrote it (validated when compiled)
 * @param hint the period the trace lies in, or null to find it with the trace-id lookup table
 * @param spanLimit most spans returned; 0 for the default
 */
public record TraceFetch(String traceId, com.kubetelemetry.query.TimeRange hint, int spanLimit) {

  public static TraceFetch of(String traceId) {
    return new TraceFetch(traceId, null, 0);
  }
}
