/** A kind the collector watches: its API group, version, kind, plural resource name and scope. */
package com.kubetelemetry.k8s;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@link #BUILT_IN} lists the kinds {@code kubernetes.kinds} may name, by plural; {@link #CUSTOM_RESOURCES} stands
 * for every CustomResourceDefinition the cluster serves (found by watching the CRDs themselves).
 */
public record WatchedKind(String group, String version, String kind, String plural, boolean namespaced) {
  /** The {@code kubernetes.kinds} entry meaning "every served CRD". */
  public static final String CUSTOM_RESOURCES = "customresources";

  public static final WatchedKind CRDS = new WatchedKind("apiextensions.k8s.io", "v1", "CustomResourceDefinition",
      "customresourcedefinitions", false);

  public static final Map<String, WatchedKind> BUILT_IN = List.of(
      new WatchedKind("", "v1", "Pod", "pods", true),
      new WatchedKind("", "v1", "Service", "services", true),
      new WatchedKind("", "v1", "Node", "nodes", false),
      new WatchedKind("", "v1", "Event", "events", true),
      new WatchedKind("", "v1", "Namespace", "namespaces", false),
      new WatchedKind("", "v1", "ConfigMap", "configmaps", true),
      new WatchedKind("", "v1", "Secret", "secrets", true),
      new WatchedKind("", "v1", "PersistentVolume", "persistentvolumes", false),
      new WatchedKind("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true),
      new WatchedKind("apps", "v1", "Deployment", "deployments", true),
      new WatchedKind("apps", "v1", "StatefulSet", "statefulsets", true),
      new WatchedKind("apps", "v1", "DaemonSet", "daemonsets", true),
      new WatchedKind("apps", "v1", "ReplicaSet", "replicasets", true),
      new WatchedKind("batch", "v1", "Job", "jobs", true),
      new WatchedKind("batch", "v1", "CronJob", "cronjobs", true),
      new WatchedKind("networking.k8s.io", "v1", "Ingress", "ingresses", true),
      CRDS)
      .stream().collect(Collectors.toUnmodifiableMap(WatchedKind::plural, Function.identity()));

  public WatchedKind {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(plural, "plural");
  }

  /** Identity of the kind across versions: group and kind. */
  public String key() {
    return group + "/" + kind;
  }

  /** The built-in kind named {@code name} (a plural, any case); IllegalArgumentException listing the names. */
  public static WatchedKind builtIn(String name) {
    WatchedKind kind = BUILT_IN.get(name.toLowerCase(Locale.ROOT));
    if (kind == null) {
      throw new IllegalArgumentException("kubernetes.kinds: unknown kind '" + name + "'; use "
          + CUSTOM_RESOURCES + " or one of " + BUILT_IN.keySet().stream().sorted().toList());
    }
    return kind;
  }
}
