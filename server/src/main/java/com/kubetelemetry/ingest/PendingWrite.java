/** One export waiting in the buffer: its rows and the future that acknowledges it once they are committed. */
package com.kubetelemetry.ingest;

import com.kubetelemetry.ingest.mapping.MappedExport;
import java.util.concurrent.CompletableFuture;

/** {@code committed} completes normally after every table of {@code rows} is committed, else exceptionally. */
record PendingWrite(Signal signal, MappedExport rows, CompletableFuture<Void> committed) {
  long bytes() {
    return rows.encodedBytes();
  }
}
