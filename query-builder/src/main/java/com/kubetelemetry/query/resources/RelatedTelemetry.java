/** The resource-attribute matchers that select the logs, traces and metrics of a Kubernetes object. */
package com.kubetelemetry.query.resources;

import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.QueryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Uses the OpenTelemetry semantic conventions the Collector's k8sattributes processor writes: k8s.pod.name,
 * k8s.deployment.name, k8s.statefulset.name, k8s.daemonset.name, k8s.node.name and k8s.namespace.name. Namespaced
 * kinds also match the namespace, so equal names in two namespaces stay apart. Pure.
 */
public final class RelatedTelemetry {
  private RelatedTelemetry() {}

  /** Matchers for the object; INVALID_ARGUMENT for other kinds or a missing name or namespace. */
  public static List<AttributeMatcher> matchers(String kind, String namespace, String name) {
    if (name.isEmpty()) {
      throw invalid("name", "`name` is required");
    }
    String attribute = switch (kind.toLowerCase(Locale.ROOT)) {
      case "pod" -> "k8s.pod.name";
      case "deployment" -> "k8s.deployment.name";
      case "statefulset" -> "k8s.statefulset.name";
      case "daemonset" -> "k8s.daemonset.name";
      case "node" -> "k8s.node.name";
      case "namespace" -> "k8s.namespace.name";
      default -> throw invalid("kind", "`kind` '" + kind + "' has no telemetry attributes; use Pod, Deployment, "
          + "StatefulSet, DaemonSet, Node or Namespace");
    };
    boolean namespaced = !attribute.equals("k8s.node.name") && !attribute.equals("k8s.namespace.name");
    List<AttributeMatcher> out = new ArrayList<>();
    if (namespaced) {
      if (namespace.isEmpty()) {
        throw invalid("namespace", "`namespace` is required for kind " + kind);
      }
      out.add(AttributeMatcher.of(AttributeMatcher.Target.RESOURCE, "k8s.namespace.name", AttributeMatcher.Op.EQ,
          namespace));
    }
    out.add(AttributeMatcher.of(AttributeMatcher.Target.RESOURCE, attribute, AttributeMatcher.Op.EQ, name));
    return out;
  }

  private static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }
}
