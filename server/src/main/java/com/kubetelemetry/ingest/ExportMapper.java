/** Turns one OTLP export request into Native blocks per table; the step the ingest path runs in the caller's thread. */
package com.kubetelemetry.ingest;

import com.kubetelemetry.ingest.mapping.MappedExport;
import com.kubetelemetry.ingest.mapping.WriteScope;

/** A pure function from request to rows; it never throws for invalid items (they are counted as rejected). */
@FunctionalInterface
public interface ExportMapper<R> {
  MappedExport map(WriteScope scope, R request);
}
