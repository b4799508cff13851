/** The rows one OTLP export maps to, per table, with the count of items that were accepted and rejected. */
package com.kubetelemetry.ingest.mapping;

import com.kubetelemetry.storage.NativeBlock;
import java.util.Map;
import java.util.Objects;

/**
 * Result of mapping one export request. {@code blocksByTable} holds one Native block per target table (unqualified
 * table name, e.g. "otel_traces"); tables with no rows are absent. Items are spans, metric data points or log
 * records. {@code rejectionMessage} is empty when nothing was rejected, else a short human-readable reason
 * (the first few problems), suitable for OTLP's {@code partial_success.error_message}.
 */
public record MappedExport(
    Map<String, NativeBlock> blocksByTable, long acceptedItems, long rejectedItems, String rejectionMessage) {
  public MappedExport {
    blocksByTable = Map.copyOf(blocksByTable);
    Objects.requireNonNull(rejectionMessage, "rejectionMessage");
    if (acceptedItems < 0 || rejectedItems < 0) {
      throw new IllegalArgumentException("negative item count");
    }
  }

  /** Bytes of encoded row data held by this export: what it costs in the ingest buffer. */
  public long encodedBytes() {
    long total = 0;
    for (NativeBlock block : blocksByTable.values()) {
      total += block.data().length;
    }
    return total;
  }
}
