/** The kubernetes.* settings and when the collector runs: off, off without a reachable cluster, on with one. */
package com.kubetelemetry.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.config.ConfigException;
import com.kubetelemetry.config.ConfigLoader;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.schema.SchemaMigrator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class KubernetesCollectionTest {
  static KubernetesClient client;

  private static ServerConfig load(Map<String, String> env) {
    return ConfigLoader.load(Optional.empty(), false, env, Map.of("chdb.lib", TestLibrary.path().toString()));
  }

  @Test
  void settingsHaveDefaultsAndEnvironmentOverrides() {
    ServerConfig.KubernetesSection defaults = load(Map.of()).kubernetes();
    assertThat(defaults.enabled()).isEqualTo(ServerConfig.KubernetesMode.AUTO);
    assertThat(defaults.kinds()).containsExactly("customresources", "pods", "deployments", "statefulsets",
        "daemonsets", "nodes", "services", "events");
    assertThat(defaults.resync()).isEqualTo(Duration.ofMinutes(10));
    ServerConfig.KubernetesSection set = load(Map.of("TELEMETRY_KUBERNETES_ENABLED", "false",
        "TELEMETRY_KUBERNETES_KINDS", "pods,nodes", "TELEMETRY_KUBERNETES_CLUSTER_NAME", "prod")).kubernetes();
    assertThat(set.enabled()).isEqualTo(ServerConfig.KubernetesMode.FALSE);
    assertThat(set.kinds()).containsExactly("pods", "nodes");
    assertThat(set.clusterName()).isEqualTo("prod");
    assertThatThrownBy(() -> load(Map.of("TELEMETRY_KUBERNETES_ENABLED", "maybe")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kubernetes.enabled");
  }

  @Test
  void unknownKindsAreRejectedWithTheKnownNames() {
    assertThatThrownBy(() -> WatchedKind.builtIn("gadgets")).hasMessageContaining("customresources")
        .hasMessageContaining("deployments");
  }

  private static ServerConfig withKubernetes(ServerConfig.KubernetesMode mode, Path kubeconfig) {
    return load(Map.of()).withKubernetes(new ServerConfig.KubernetesSection(mode, kubeconfig.toString(),
        List.of("pods"), Duration.ZERO, "", "default"));
  }

  private static Path kubeconfig(Path dir, String server) throws Exception {
    return Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: SERVER
            insecure-skip-tls-verify: true
        users:
        - name: u
          user:
            token: t
        contexts:
        - name: x
          context:
            cluster: c
            user: u
        current-context: x
        """.replace("SERVER", server));
  }

  @Test
  void autoStaysOffWithoutAReachableClusterAndFalseNeverConnects(@TempDir Path dir) throws Exception {
    Path config = kubeconfig(dir, "http://127.0.0.1:1");
    assertThat(KubernetesCollection.open(withKubernetes(ServerConfig.KubernetesMode.AUTO, config), null)).isEmpty();
    assertThat(KubernetesCollection.open(withKubernetes(ServerConfig.KubernetesMode.FALSE, config), null)).isEmpty();
  }

  @Test
  void autoStartsTheCollectorWhenTheClusterAnswers(@TempDir Path dir) throws Exception {
    Path config = kubeconfig(dir, client.getMasterUrl().toString());
    ServerConfig server = withKubernetes(ServerConfig.KubernetesMode.AUTO, config);
    try (EmbeddedStore store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir.resolve("data"),
        server.storage().database()))) {
      new SchemaMigrator(store, new com.kubetelemetry.schema.SchemaOptions(server.storage().database(), 7, 7, 30))
          .migrate();
      Optional<KubernetesCollection> collection = KubernetesCollection.open(server, store);
      assertThat(collection).isPresent();
      collection.get().collector().whenSynced("", "Pod").get();
      collection.get().close();
    }
  }
}
