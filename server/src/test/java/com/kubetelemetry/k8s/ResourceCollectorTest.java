/** The collector against fabric8's mock API server (CRUD mode): CRDs and instances, pods, restart without loss. */
package com.kubetelemetry.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.resources.ResourceQueryCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.resources.ChangeType;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.schema.SchemaMigrator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResourceCollectorTest {
  static KubernetesClient client;
  private static final SchemaOptions SCHEMA = new SchemaOptions("k8s", 7, 7, 30);
  private static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder()
      .withGroup("example.com").withVersion("v1").withKind("Widget").withPlural("widgets").withNamespaced(true)
      .build();

  private EmbeddedStore store;

  @BeforeEach
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, SCHEMA.database()));
    new SchemaMigrator(store, SCHEMA).migrate();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private ResourceCollector collector(String... kinds) {
    return new ResourceCollector(client, store, new ResourceQueryCompiler(SCHEMA, QueryLimits.defaults()),
        "default", "test", List.of(kinds), Duration.ZERO).start();
  }

  /** History rows as uid:type:resourceVersion in stored order, read with FINAL or raw. */
  private List<String> history(boolean distinct) {
    return EngineRows.run(store, Sql.of("SELECT Name, toString(EventType), ResourceVersion FROM k8s."
        + "k8s_resource_history" + (distinct ? " FINAL" : "") + " ORDER BY ResourceVersionNumber, EventType, Name"))
        .rows().stream().map(r -> r.string(0) + ":" + r.string(1) + ":" + r.string(2)).toList();
  }

  private List<String> current() {
    return EngineRows.run(store, Sql.of("SELECT Name, ResourceVersion, Deleted, Kind FROM k8s.k8s_resources_current "
        + "FINAL ORDER BY Kind, Name")).rows().stream()
        .map(r -> r.string(3) + "/" + r.string(0) + ":" + r.string(1) + (r.int64(2) != 0 ? ":deleted" : ""))
        .toList();
  }

  private static Pod pod(String name, String image) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").addToLabels("app", "web")
        .endMetadata().withNewSpec().addNewContainer().withName("main").withImage(image).endContainer().endSpec()
        .build();
  }

  private static String rv(io.fabric8.kubernetes.api.model.HasMetadata o) {
    return o.getMetadata().getResourceVersion();
  }

  @Test
  void customResourcesAreCollectedThroughTheirWholeLifecycle() throws Exception {
    try (ResourceCollector collector = collector(WatchedKind.CUSTOM_RESOURCES)) {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().resource(
          new CustomResourceDefinitionBuilder().withNewMetadata().withName("widgets.example.com").endMetadata()
              .withNewSpec().withGroup("example.com").withScope("Namespaced")
              .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").endNames()
              .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build())
          .create();
      collector.whenStored(crd.getMetadata().getUid(), rv(crd), ChangeType.ADDED).get();
      collector.whenSynced("example.com", "Widget").get();

      var widgets = client.genericKubernetesResources(WIDGETS).inNamespace("shop");
      GenericKubernetesResource w1 = widgets.resource(widget("w1", 1)).create();
      collector.whenStored(w1.getMetadata().getUid(), rv(w1), ChangeType.ADDED).get();
      w1.setAdditionalProperty("spec", Map.of("size", 2));
      GenericKubernetesResource w1b = widgets.resource(w1).update();
      collector.whenStored(w1.getMetadata().getUid(), rv(w1b), ChangeType.MODIFIED).get();
      GenericKubernetesResource w2 = widgets.resource(widget("w2", 5)).create();
      collector.whenStored(w2.getMetadata().getUid(), rv(w2), ChangeType.ADDED).get();
      widgets.withName("w1").delete();
      collector.whenStored(w1.getMetadata().getUid(), null, ChangeType.DELETED).get();

      List<String> history = history(true);
      String deletedAt = history.stream().filter(h -> h.startsWith("w1:DELETED:")).findFirst().orElseThrow()
          .substring("w1:DELETED:".length());
      // the mock server keeps the last resource version on delete; a real API server gives a new one
      assertThat(Long.parseLong(deletedAt)).isGreaterThanOrEqualTo(Long.parseLong(rv(w1b)));
      assertThat(history).containsExactlyInAnyOrder("widgets.example.com:ADDED:" + rv(crd),
          "w1:ADDED:" + rv(w1), "w1:MODIFIED:" + rv(w1b), "w2:ADDED:" + rv(w2), "w1:DELETED:" + deletedAt);
      assertThat(history(false)).isEqualTo(history);
      assertThat(current()).containsExactly("CustomResourceDefinition/widgets.example.com:" + rv(crd),
          "Widget/w1:" + deletedAt + ":deleted", "Widget/w2:" + rv(w2));
      String stored = EngineRows.run(store, Sql.of("SELECT Object FROM k8s.k8s_resources_current FINAL "
          + "WHERE Name = 'w2'")).rows().getFirst().string(0);
      assertThat(stored).contains("\"size\":5");
    }
  }

  private static GenericKubernetesResource widget(String name, int size) {
    return new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1").withKind("Widget")
        .withNewMetadata().withName(name).withNamespace("shop").endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", size)).build();
  }

  @Test
  void aRestartLosesNothingAndDuplicatesNothing() throws Exception {
    var pods = client.pods().inNamespace("shop");
    Pod p1;
    Pod p2;
    Pod p3;
    Pod p1b;
    try (ResourceCollector first = collector("pods")) {
      first.whenSynced("", "Pod").get();
      p1 = pods.resource(pod("p1", "web:1")).create();
      p2 = pods.resource(pod("p2", "web:1")).create();
      p3 = pods.resource(pod("p3", "web:1")).create();
      p1b = pods.withName("p1").edit(p -> new PodBuilder(p).editMetadata().addToLabels("v", "2").endMetadata()
          .build());
      first.whenStored(p1.getMetadata().getUid(), rv(p1b), ChangeType.MODIFIED).get();
      first.whenStored(p2.getMetadata().getUid(), rv(p2), ChangeType.ADDED).get();
      first.whenStored(p3.getMetadata().getUid(), rv(p3), ChangeType.ADDED).get();
    }
    // changes while no collector watches
    Pod p2b = pods.withName("p2").edit(p -> new PodBuilder(p).editMetadata().addToLabels("v", "2").endMetadata()
        .build());
    pods.withName("p3").delete();
    Pod p4 = pods.resource(pod("p4", "web:1")).create();

    try (ResourceCollector second = collector("pods")) {
      second.whenSynced("", "Pod").get();
      second.whenStored(p2.getMetadata().getUid(), rv(p2b), ChangeType.MODIFIED).get();
      second.whenStored(p3.getMetadata().getUid(), rv(p3), ChangeType.DELETED).get();
      second.whenStored(p4.getMetadata().getUid(), rv(p4), ChangeType.ADDED).get();
      Pod p4b = pods.withName("p4").edit(p -> new PodBuilder(p).editMetadata().addToLabels("v", "2").endMetadata()
          .build());
      second.whenStored(p4.getMetadata().getUid(), rv(p4b), ChangeType.MODIFIED).get();

      List<String> history = history(true);
      assertThat(history).containsExactlyInAnyOrder(
          "p1:ADDED:" + rv(p1), "p2:ADDED:" + rv(p2), "p3:ADDED:" + rv(p3), "p1:MODIFIED:" + rv(p1b),
          "p2:MODIFIED:" + rv(p2b), "p3:DELETED:" + rv(p3), "p4:ADDED:" + rv(p4), "p4:MODIFIED:" + rv(p4b));
      assertThat(history(false)).as("no row was written twice").hasSameSizeAs(history);
      assertThat(current()).containsExactly("Pod/p1:" + rv(p1b), "Pod/p2:" + rv(p2b), "Pod/p3:" + rv(p3)
          + ":deleted", "Pod/p4:" + rv(p4b));
    }
  }
}
