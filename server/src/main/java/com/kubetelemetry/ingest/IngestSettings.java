/** The knobs of the ingest buffer and its group commit. */
package com.kubetelemetry.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * @param bufferBytes encoded bytes of rows that may wait for commit at once; beyond it exports are refused with
 *     RESOURCE_EXHAUSTED (an export larger than the whole buffer is still taken when the buffer is empty)
 * @param maxBatchRows rows per table after which a commit starts without waiting for {@code flushInterval}
 * @param flushInterval how long the committer gathers further exports after the first one arrives
 * @param closeTimeout how long {@code close()} waits for the buffer to drain
 * @param committers threads committing in parallel, each on its own engine connection
 */
public record IngestSettings(long bufferBytes, int maxBatchRows, Duration flushInterval, Duration closeTimeout,
    int committers) {
  public IngestSettings {
    Objects.requireNonNull(flushInterval, "flushInterval");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (bufferBytes <= 0 || maxBatchRows <= 0 || committers <= 0 || flushInterval.isNegative() || closeTimeout.isNegative()) {
      throw new IllegalArgumentException("ingest settings must be positive: " + bufferBytes + ", " + maxBatchRows);
    }
  }
}
