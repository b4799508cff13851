/** The byte budget of rows waiting for commit: what keeps ingest memory bounded. */
package com.kubetelemetry.ingest;

/**
 * Tracks the encoded bytes held by pending exports. A reservation either fits in the capacity or is refused at
 * once (never blocks: a refused export is answered with RESOURCE_EXHAUSTED and the client retries). One export
 * larger than the capacity is admitted only when nothing else is held, so it cannot be refused forever.
 */
final class IngestBuffer {
  private final long capacity;
  private long held;

  IngestBuffer(long capacity) {
    this.capacity = capacity;
  }

  synchronized boolean tryReserve(long bytes) {
    if (held > 0 && held + bytes > capacity) {
      return false;
    }
    held += bytes;
    return true;
  }

  synchronized void release(long bytes) {
    held -= bytes;
    if (held < 0) {
      throw new IllegalStateException("released more than was reserved");
    }
  }

  synchronized long held() {
    return held;
  }

  long capacity() {
    return capacity;
  }
}
