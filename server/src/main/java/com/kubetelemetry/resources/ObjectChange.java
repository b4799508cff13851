/** One observed change of a Kubernetes object, as the collector, PutResources or the k8sobjects receiver saw it. */
package com.kubetelemetry.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * @param tenant tenant the object is stored for
 * @param cluster cluster name (may be empty)
 * @param type what happened
 * @param eventTimeNanos when it was observed, nanoseconds since the epoch
 * @param object the object as JSON (apiVersion, kind, metadata); not modified by the writer
 */
public record ObjectChange(String tenant, String cluster, ChangeType type, long eventTimeNanos, ObjectNode object) {
  public ObjectChange {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(object, "object");
  }
}
