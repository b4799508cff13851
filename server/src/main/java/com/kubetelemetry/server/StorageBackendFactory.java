/** PLACEHOLDER: the production BackendFactory (store + ingest buffer); wired in main, not on this branch. */
package com.kubetelemetry.server;

import com.kubetelemetry.config.ServerConfig;

/**
 * Will open the store named by {@code storage.url}, apply the schema and start the ingest buffer. Until it is
 * wired, opening fails clearly instead of starting a server that cannot store anything.
 */
public final class StorageBackendFactory implements BackendFactory {
  @Override
  public Backend open(ServerConfig config) {
    throw new UnsupportedOperationException("wired in main");
  }
}
