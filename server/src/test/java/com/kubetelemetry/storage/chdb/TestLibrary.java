/** Where tests find libchdb.so: the build passes the Makefile's cached copy as the chdb.lib system property. */
package com.kubetelemetry.storage.chdb;

import java.nio.file.Path;

public final class TestLibrary {
  private TestLibrary() {}

  public static Path path() {
    String configured = System.getProperty("chdb.lib");
    if (configured != null && !configured.isBlank() && !configured.startsWith("${")) {
      return Path.of(configured);
    }
    String env = System.getenv("CHDB_LIB");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache/kube-telemetry/chdb/26.5.3/libchdb.so");
  }
}
