/** Read-only counters of what the ingest path accepted, rejected and throttled, per signal. */
package com.kubetelemetry.ingest;

import java.util.List;

/** Counters since start-up; {@link #snapshot()} is cheap and safe to call from any thread. */
public interface IngestStats {

  /** One entry per signal ("traces", "metrics", "logs"), in that order. */
  List<SignalCounts> snapshot();

  /**
   * Counts for one signal. Items are spans, metric data points or log records.
   *
   * @param acceptedItems items committed to storage and acknowledged
   * @param rejectedItems items refused as invalid (reported to clients as partial success)
   * @param throttledRequests export requests refused with RESOURCE_EXHAUSTED because the buffer was full
   * @param failedRequests export requests failed with UNAVAILABLE because storage failed or the server stopped
   */
  record SignalCounts(
      String signal, long acceptedItems, long rejectedItems, long throttledRequests, long failedRequests) {}
}
