/** Opens the {@link Backend} a configuration describes (embedded or remote store, ingest buffer, ...). */
package com.kubetelemetry.server;

import com.kubetelemetry.config.ServerConfig;

/** Failures to open throw (unchecked) with a message saying what to fix. */
@FunctionalInterface
public interface BackendFactory {
  Backend open(ServerConfig config);
}
