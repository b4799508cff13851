/** The simulated Kubernetes cluster the demo data describes: nodes, services, pods and the call graph. */
package com.kubetelemetry.demo;

import com.kubetelemetry.demo.DemoCall.Protocol;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;

/**
 * A small online shop on Kubernetes. Everything here is fixed (names, pod uids, placement), so the same cluster
 * yields the same resources every run; randomness lives in {@link DemoTelemetryGenerator}.
 */
public record DemoCluster(String clusterName, String environment, List<String> nodes, List<DemoService> services) {
  private static final String POD_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  public DemoCluster {
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(environment, "environment");
    nodes = List.copyOf(nodes);
    services = List.copyOf(services);
    if (nodes.isEmpty() || services.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs nodes and services");
    }
  }

  /** The shop: frontend, catalog, cart, checkout, payment (flaky), notification and a PostgreSQL database. */
  public static DemoCluster shop() {
    String cluster = "demo-cluster";
    String environment = "demo";
    List<String> nodes = List.of("demo-node-1", "demo-node-2", "demo-node-3");
    String productById = "SELECT id, name, price_cents, stock FROM products WHERE id = $1";
    String cartItems = "SELECT product_id, quantity FROM cart_items WHERE cart_id = $1";
    List<ServiceSpec> specs = List.of(
        new ServiceSpec("frontend", "1.8.2", "shop", 3, 0.003, 4, List.of(
            http("frontend", "GET", "/", 0.20,
                call(Protocol.HTTP, "catalog", "GET /products", 1.0), call(Protocol.HTTP, "cart", "GET /cart", 0.7)),
            http("frontend", "GET", "/product/{id}", 0.40,
                call(Protocol.HTTP, "catalog", "GET /products/{id}", 1.0)),
            http("frontend", "POST", "/cart", 0.12, call(Protocol.HTTP, "cart", "POST /cart/items", 1.0)),
            http("frontend", "GET", "/cart", 0.13, call(Protocol.HTTP, "cart", "GET /cart", 1.0)),
            http("frontend", "POST", "/checkout", 0.15, call(Protocol.HTTP, "checkout", "POST /orders", 1.0)))),
        new ServiceSpec("catalog", "2.3.0", "shop", 3, 0.003, 3, List.of(
            http("catalog", "GET", "/products", 0,
                call(Protocol.SQL, "postgres",
                    "SELECT id, name, price_cents FROM products ORDER BY popularity DESC LIMIT 20", 1.0)),
            http("catalog", "GET", "/products/{id}", 0,
                call(Protocol.SQL, "postgres", productById, 1.0),
                call(Protocol.SQL, "postgres",
                    "SELECT rating, body FROM reviews WHERE product_id = $1 ORDER BY created_at DESC LIMIT 5", 0.6)))),
        new ServiceSpec("cart", "1.4.1", "shop", 2, 0.003, 2, List.of(
            http("cart", "GET", "/cart", 0, call(Protocol.SQL, "postgres", cartItems, 1.0)),
            http("cart", "POST", "/cart/items", 0,
                call(Protocol.SQL, "postgres", productById, 1.0),
                call(Protocol.SQL, "postgres",
                    "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)", 1.0)),
            http("cart", "DELETE", "/cart", 0,
                call(Protocol.SQL, "postgres", "DELETE FROM cart_items WHERE cart_id = $1", 1.0)))),
        new ServiceSpec("checkout", "3.0.0", "shop", 2, 0.01, 6, List.of(
            http("checkout", "POST", "/orders", 0,
                call(Protocol.HTTP, "cart", "GET /cart", 1.0),
                call(Protocol.HTTP, "catalog", "GET /products/{id}", 1.0),
                call(Protocol.GRPC, "payment", "shop.payment.v1.PaymentService/Charge", 1.0),
                call(Protocol.SQL, "postgres",
                    "INSERT INTO orders (id, customer_id, total_cents, status) VALUES ($1, $2, $3, $4)", 1.0),
                call(Protocol.MESSAGING, "notification", "orders", 1.0),
                call(Protocol.HTTP, "cart", "DELETE /cart", 1.0)))),
        new ServiceSpec("payment", "0.9.4", "shop", 2, 0.08, 25, List.of(
            new DemoEndpoint("payment", Protocol.GRPC, "Charge", "shop.payment.v1.PaymentService", 0, List.of(
                call(Protocol.SQL, "postgres",
                    "INSERT INTO payments (order_id, amount_cents, provider_ref) VALUES ($1, $2, $3)", 1.0))))),
        new ServiceSpec("notification", "1.1.0", "shop", 2, 0.005, 3, List.of(
            new DemoEndpoint("notification", Protocol.MESSAGING, "process", "orders", 0, List.of(
                call(Protocol.SQL, "postgres",
                    "SELECT email, locale FROM customers WHERE id = $1", 1.0))))),
        new ServiceSpec("postgres", "16.4", "shop-data", 2, 0.002, 1.5, List.of()));
    List<DemoService> services = new ArrayList<>();
    int podIndex = 0;
    for (ServiceSpec spec : specs) {
      String rsHash = token(spec.name + "/" + spec.version, 9);
      List<DemoPod> pods = new ArrayList<>();
      for (int i = 0; i < spec.replicas; i++) {
        String podName = spec.name + "-" + rsHash + "-" + token(spec.name + "#" + i, 5);
        String uid = UUID.nameUUIDFromBytes((cluster + "/" + podName).getBytes(StandardCharsets.UTF_8)).toString();
        String node = nodes.get(podIndex++ % nodes.size());
        Resource resource = resource(Map.ofEntries(
            Map.entry("service.name", spec.name),
            Map.entry("service.namespace", "shop"),
            Map.entry("service.version", spec.version),
            Map.entry("service.instance.id", uid),
            Map.entry("k8s.cluster.name", cluster),
            Map.entry("k8s.namespace.name", spec.namespace),
            Map.entry("k8s.deployment.name", spec.name),
            Map.entry("k8s.replicaset.name", spec.name + "-" + rsHash),
            Map.entry("k8s.pod.name", podName),
            Map.entry("k8s.pod.uid", uid),
            Map.entry("k8s.node.name", node),
            Map.entry("k8s.container.name", spec.name),
            Map.entry("host.name", node),
            Map.entry("deployment.environment.name", environment)));
        pods.add(new DemoPod(spec.name, podName, uid, node, resource));
      }
      services.add(new DemoService(spec.name, spec.version, spec.namespace, spec.name, pods, spec.endpoints,
          spec.errorRate, spec.medianSelfMillis));
    }
    return new DemoCluster(cluster, environment, nodes, services);
  }

  /** The service called {@code name}. */
  public DemoService service(String name) {
    for (DemoService service : services) {
      if (service.name().equals(name)) {
        return service;
      }
    }
    throw new NoSuchElementException("no demo service " + name);
  }

  /** The endpoint of {@code service} whose {@link DemoEndpoint#spanName()} (or destination) is {@code target}. */
  public DemoEndpoint endpoint(String service, String target) {
    for (DemoEndpoint endpoint : service(service).endpoints()) {
      if (endpoint.spanName().equals(target) || endpoint.route().equals(target)) {
        return endpoint;
      }
    }
    throw new NoSuchElementException("no endpoint " + target + " on demo service " + service);
  }

  /** Every pod of every service, in declaration order. */
  public List<DemoPod> pods() {
    List<DemoPod> pods = new ArrayList<>();
    for (DemoService service : services) {
      pods.addAll(service.pods());
    }
    return pods;
  }

  /** The resource of a node itself (host metrics): k8s.cluster.name, k8s.node.name, host.name. */
  public Resource nodeResource(String node) {
    return resource(Map.of("k8s.cluster.name", clusterName, "k8s.node.name", node, "host.name", node,
        "deployment.environment.name", environment));
  }

  private static Resource resource(Map<String, String> attributes) {
    Resource.Builder builder = Resource.newBuilder();
    attributes.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> builder.addAttributes(KeyValue.newBuilder()
            .setKey(e.getKey())
            .setValue(AnyValue.newBuilder().setStringValue(e.getValue()))));
    return builder.build();
  }

  /** A stable Kubernetes-style random-looking suffix derived from {@code seed}. */
  private static String token(String seed, int length) {
    long state = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(POD_ALPHABET.charAt((int) Long.remainderUnsigned(state, POD_ALPHABET.length())));
      state = Long.divideUnsigned(state, POD_ALPHABET.length()) ^ (state * 0x9E3779B97F4A7C15L);
    }
    return out.toString();
  }

  private static DemoEndpoint http(String service, String method, String route, double weight, DemoCall... calls) {
    return new DemoEndpoint(service, Protocol.HTTP, method, route, weight, List.of(calls));
  }

  private static DemoCall call(Protocol protocol, String service, String target, double probability) {
    return new DemoCall(protocol, service, target, probability);
  }

  private record ServiceSpec(
      String name, String version, String namespace, int replicas, double errorRate, double medianSelfMillis,
      List<DemoEndpoint> endpoints) {}
}
