/** Watches Kubernetes objects with fabric8 informers and stores every add, update and delete. */
package com.kubetelemetry.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.resources.ResourceColumns;
import com.kubetelemetry.query.resources.ResourceQueryCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.resources.ChangeType;
import com.kubetelemetry.storage.Store;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One informer per kind (list, then watch, with optional resync). On start the collector loads what the current
 * table knows for its tenant and cluster, so the informers' initial list writes only objects that changed while it
 * was down; once a kind's informer has synced, objects the table holds as live but the cluster no longer has get
 * a DELETED row (with their last stored state). With {@link WatchedKind#CUSTOM_RESOURCES} the CRDs are watched
 * too, and each served CRD gets an informer for its storage version. Changes are written by
 * {@link CollectedChanges}.
 */
public final class ResourceCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceCollector.class);
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final KubernetesClient client;
  private final Store store;
  private final ResourceQueryCompiler compiler;
  private final TenantId tenant;
  private final String cluster;
  private final Duration resync;
  private final List<WatchedKind> kinds;
  private final boolean customResources;
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> synced = new ConcurrentHashMap<>();
  private CollectedChanges changes;
  private volatile boolean closed;

  /**
   * @param kindNames {@code kubernetes.kinds}: built-in plurals and {@link WatchedKind#CUSTOM_RESOURCES}
   */
  public ResourceCollector(KubernetesClient client, Store store, ResourceQueryCompiler compiler, String tenant,
      String cluster, List<String> kindNames, Duration resync) {
    this.client = client;
    this.store = store;
    this.compiler = compiler;
    this.tenant = new TenantId(tenant);
    this.cluster = cluster;
    this.resync = resync;
    List<WatchedKind> list = new ArrayList<>();
    boolean crds = false;
    for (String name : kindNames) {
      if (name.equalsIgnoreCase(WatchedKind.CUSTOM_RESOURCES)) {
        crds = true;
      } else {
        list.add(WatchedKind.builtIn(name));
      }
    }
    if (crds && !list.contains(WatchedKind.CRDS)) {
      list.add(WatchedKind.CRDS);
    }
    this.kinds = List.copyOf(list);
    this.customResources = crds;
  }

  /** Loads the stored state and starts every informer; returns without waiting for them to sync. */
  public ResourceCollector start() {
    Map<String, CollectedChanges.Known> withVersions = new HashMap<>();
    for (EngineRow row : EngineRows.run(store, compiler.knownObjects(tenant, cluster)).rows()) {
      withVersions.put(row.string(0), new CollectedChanges.Known(row.string(1), row.int64(2) != 0, row.string(4),
          row.string(3)));
    }
    changes = new CollectedChanges(store, tenant.tenant(), cluster, Clock.systemUTC(), withVersions);
    kinds.forEach(this::watch);
    LOG.info("Kubernetes collector started for {} kinds{} (tenant {}, cluster '{}', {} objects known)",
        kinds.size(), customResources ? " and every served CRD" : "", tenant.tenant(), cluster, withVersions.size());
    return this;
  }

  /** Completes once the informer of {@code kind} (group/kind) has synced and stale objects are marked deleted. */
  public CompletableFuture<Void> whenSynced(String group, String kind) {
    return synced.computeIfAbsent(group + "/" + kind, k -> new CompletableFuture<>());
  }

  /** Completes once this change is stored (a test hook). */
  public CompletableFuture<Void> whenStored(String uid, String resourceVersion, ChangeType type) {
    return changes.whenStored(uid, resourceVersion, type);
  }

  private void watch(WatchedKind kind) {
    if (closed || informers.containsKey(kind.key())) {
      return;
    }
    ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(kind.group())
        .withVersion(kind.version()).withKind(kind.kind()).withPlural(kind.plural())
        .withNamespaced(kind.namespaced()).build();
    SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(context)
        .inAnyNamespace().runnableInformer(resync.toMillis());
    if (informers.putIfAbsent(kind.key(), informer) != null) {
      return;
    }
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        observed(ChangeType.ADDED, obj);
      }

      @Override
      public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
        observed(ChangeType.MODIFIED, newObj);
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
        observed(ChangeType.DELETED, obj);
      }
    });
    informer.start().whenComplete((v, e) -> {
      if (e != null) {
        LOG.warn("Kubernetes informer for {} did not start: {}", kind.key(), e.toString());
        return;
      }
      try {
        markGone(kind, informer);
        whenSynced(kind.group(), kind.kind()).complete(null);
      } catch (RuntimeException failure) {
        LOG.error("could not reconcile deleted {} objects", kind.key(), failure);
      }
    });
  }

  private void observed(ChangeType type, GenericKubernetesResource resource) {
    try {
      ObjectNode object = client.getKubernetesSerialization().convertValue(resource, ObjectNode.class);
      changes.offer(type, object);
      if (customResources && WatchedKind.CRDS.kind().equals(resource.getKind()) && type != ChangeType.DELETED) {
        crdKind(object).ifPresent(this::watch);
      }
    } catch (RuntimeException e) {
      LOG.warn("skipping a Kubernetes {} event: {}", type, e.toString());
    }
  }

  /** Objects stored as live that the synced informer does not have: deleted while the collector was down. */
  private void markGone(WatchedKind kind, SharedIndexInformer<GenericKubernetesResource> informer) {
    Set<String> present = new HashSet<>();
    for (GenericKubernetesResource r : informer.getStore().list()) {
      present.add(r.getMetadata().getUid());
    }
    List<String> gone = changes.liveUids(kind).stream().filter(uid -> !present.contains(uid)).toList();
    if (gone.isEmpty()) {
      return;
    }
    for (EngineRow row : EngineRows.run(store, compiler.byUids(tenant, gone)).rows()) {
      try {
        if (JSON.readTree(row.string(ResourceColumns.OBJECT)) instanceof ObjectNode object) {
          changes.offer(ChangeType.DELETED, object);
        }
      } catch (java.io.IOException e) {
        LOG.warn("cannot read the stored state of {}", row.string(ResourceColumns.UID));
      }
    }
    LOG.info("{} {} objects were deleted while the collector was not watching", gone.size(), kind.key());
  }

  /** The kind a served CRD defines (its storage version, else its first served one). */
  static java.util.Optional<WatchedKind> crdKind(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    String group = spec.path("group").asText("");
    String kind = spec.path("names").path("kind").asText("");
    String plural = spec.path("names").path("plural").asText("");
    String version = null;
    for (JsonNode v : spec.path("versions")) {
      if (v.path("served").asBoolean(true) && (version == null || v.path("storage").asBoolean(false))) {
        version = v.path("name").asText();
      }
    }
    if (group.isEmpty() || kind.isEmpty() || plural.isEmpty() || version == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new WatchedKind(group, version, kind, plural,
        !"Cluster".equals(spec.path("scope").asText("Namespaced"))));
  }

  /** Stops every informer, then writes what is queued. */
  @Override
  public void close() {
    closed = true;
    informers.values().forEach(SharedIndexInformer::stop);
    if (changes != null) {
      changes.close();
    }
  }
}
