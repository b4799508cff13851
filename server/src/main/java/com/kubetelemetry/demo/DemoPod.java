/** One simulated Kubernetes pod of a demo service: its identity, the node it runs on and its OTel resource. */
package com.kubetelemetry.demo;

import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Objects;

/**
 * A pod of {@code service}. {@code resource} carries the OpenTelemetry semantic-convention attributes (service.*,
 * k8s.*, host.name, deployment.environment.name) every signal from this pod is exported with.
 */
public record DemoPod(String service, String name, String uid, String nodeName, Resource resource) {
  public DemoPod {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(resource, "resource");
  }
}
