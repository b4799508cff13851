/** A query result read chunk by chunk; closing it early cancels the query. */
package com.kubetelemetry.storage;

/** Not thread-safe: one reader at a time. */
public interface ResultStream extends AutoCloseable {
  /** The next chunk of result bytes, or null when the result is complete. Throws StoreException on failure. */
  byte[] next();

  /** Cancels the query if it is still running and frees its resources. Idempotent. */
  @Override
  void close();
}
