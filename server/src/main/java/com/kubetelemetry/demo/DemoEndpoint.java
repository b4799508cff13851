/** An operation a demo service serves (an HTTP route or a gRPC method) and the downstream calls it makes. */
package com.kubetelemetry.demo;

import java.util.List;
import java.util.Objects;

/**
 * An endpoint of {@code service}. For HTTP, {@code method} is the HTTP method and {@code route} the route template;
 * for gRPC, {@code method} is the RPC method and {@code route} the fully qualified service name; for MESSAGING,
 * {@code method} is the operation ("process") and {@code route} the destination consumed.
 * {@code entryWeight} > 0 marks an entry point that user traffic arrives at, weighted against the other entries.
 */
public record DemoEndpoint(
    String service, DemoCall.Protocol protocol, String method, String route, double entryWeight,
    List<DemoCall> calls) {
  public DemoEndpoint {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(route, "route");
    calls = List.copyOf(calls);
    if (protocol == DemoCall.Protocol.SQL) {
      throw new IllegalArgumentException("an endpoint is served over HTTP or gRPC, not SQL");
    }
  }

  /** The span name per semantic conventions: "GET /cart" for HTTP, "package.Service/Method" for gRPC,
   * "process orders" for messaging. */
  public String spanName() {
    return protocol == DemoCall.Protocol.GRPC ? route + "/" + method : method + " " + route;
  }
}
