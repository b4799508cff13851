/** Decides from the configuration whether the Kubernetes collector runs, connects to the cluster and starts it. */
package com.kubetelemetry.k8s;

import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.resources.ResourceQueryCompiler;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.storage.Store;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kubernetes.enabled}: false never connects; auto connects (kubeconfig file, else the usual discovery:
 * KUBECONFIG, ~/.kube/config, in-cluster service account) and asks the API server for its version: when that
 * fails the collector stays off and one log line says why; true starts the collector even when the first call
 * fails (an informer whose first list fails logs it and stays stopped until the server restarts). Owns the client
 * it made.
 */
public final class KubernetesCollection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesCollection.class);
  private static final int CHECK_TIMEOUT_MILLIS = 3000;

  private final KubernetesClient client;
  private final ResourceCollector collector;

  private KubernetesCollection(KubernetesClient client, ResourceCollector collector) {
    this.client = client;
    this.collector = collector;
  }

  /** The running collection, or empty when the configuration or the cluster says no. */
  public static Optional<KubernetesCollection> open(ServerConfig config, Store store) {
    ServerConfig.KubernetesSection k8s = config.kubernetes();
    if (k8s.enabled() == ServerConfig.KubernetesMode.FALSE) {
      LOG.info("Kubernetes collector off (kubernetes.enabled = false)");
      return Optional.empty();
    }
    KubernetesClient client;
    try {
      client = new KubernetesClientBuilder().withConfig(clientConfig(k8s)).build();
    } catch (RuntimeException | IOException e) {
      LOG.info("Kubernetes collector off: no usable cluster configuration ({})", e.getMessage());
      return Optional.empty();
    }
    try {
      String version = client.getKubernetesVersion().getGitVersion();
      LOG.info("Kubernetes API server {} at {}", version, client.getMasterUrl());
    } catch (RuntimeException e) {
      if (k8s.enabled() == ServerConfig.KubernetesMode.AUTO) {
        LOG.info("Kubernetes collector off: no cluster reachable at {} ({}); set kubernetes.enabled = true to "
            + "collect anyway", client.getMasterUrl(), rootMessage(e));
        client.close();
        return Optional.empty();
      }
      LOG.warn("Kubernetes API server at {} is not reachable ({}); starting the collector anyway",
          client.getMasterUrl(), rootMessage(e));
    }
    try {
      ServerConfig.RetentionSection r = config.retention();
      SchemaOptions schema = new SchemaOptions(config.storage().database(), r.tracesDays(), r.logsDays(),
          r.metricsDays());
      ResourceCollector collector = new ResourceCollector(client, store,
          new ResourceQueryCompiler(schema, QueryLimits.defaults()), k8s.tenant(), k8s.clusterName(), k8s.kinds(),
          k8s.resync()).start();
      return Optional.of(new KubernetesCollection(client, collector));
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private static Config clientConfig(ServerConfig.KubernetesSection k8s) throws IOException {
    Config config = k8s.kubeconfig().isEmpty() ? Config.autoConfigure(null)
        : Config.fromKubeconfig(Files.readString(Path.of(k8s.kubeconfig())));
    config.setConnectionTimeout(CHECK_TIMEOUT_MILLIS);
    config.setRequestTimeout(CHECK_TIMEOUT_MILLIS);
    config.setRequestRetryBackoffLimit(0);
    return config;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  public ResourceCollector collector() {
    return collector;
  }

  @Override
  public void close() {
    collector.close();
    client.close();
  }
}
