/** PLACEHOLDER: starts the built-in demo data generator when demo.enabled; a no-op until it is wired in main. */
package com.kubetelemetry.server;

import com.kubetelemetry.config.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Started after the server is ready, closed before the backend so no demo export races the final flush. */
public final class DemoHook implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoHook.class);
  private final ServerConfig.DemoSection demo;

  public DemoHook(ServerConfig.DemoSection demo, Backend backend) {
    this.demo = demo;
  }

  public void start() {
    if (demo.enabled()) {
      LOG.info("demo data requested (interval {}) but the generator is not wired yet", demo.interval());
    }
  }

  @Override
  public void close() {}
}
