/** One simulated microservice of the demo cluster: deployment, pods and the endpoints it serves. */
package com.kubetelemetry.demo;

import java.util.List;
import java.util.Objects;

/**
 * A service with its Kubernetes placement. {@code endpoints} is empty for a database, which appears in traces only
 * through its callers' CLIENT spans. {@code errorRate} is the chance that one of its server spans fails on its own;
 * {@code medianSelfMillis} is the typical time a request spends in this service outside its downstream calls.
 */
public record DemoService(
    String name,
    String version,
    String namespace,
    String deployment,
    List<DemoPod> pods,
    List<DemoEndpoint> endpoints,
    double errorRate,
    double medianSelfMillis) {
  public DemoService {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(deployment, "deployment");
    pods = List.copyOf(pods);
    endpoints = List.copyOf(endpoints);
    if (pods.isEmpty()) {
      throw new IllegalArgumentException("service " + name + " has no pods");
    }
    if (errorRate < 0 || errorRate > 1 || medianSelfMillis <= 0) {
      throw new IllegalArgumentException("service " + name + ": errorRate in [0,1] and medianSelfMillis > 0");
    }
  }

  /** True for a database: it has pods and metrics but serves no traced endpoints of its own. */
  public boolean isDatabase() {
    return endpoints.isEmpty();
  }
}
