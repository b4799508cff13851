/** An edge of the demo call graph: one downstream call an endpoint makes, with its protocol and probability. */
package com.kubetelemetry.demo;

import java.util.Objects;

/**
 * A call to {@code targetService}. For HTTP and gRPC, {@code target} is the {@link DemoEndpoint#spanName()} of the
 * callee endpoint; for SQL, it is the query text sent to the database; for MESSAGING, the destination (topic) a
 * message is published to, consumed later in a separate trace that links back to the publishing span.
 * {@code probability} is the chance the call is made on a given request.
 */
public record DemoCall(Protocol protocol, String targetService, String target, double probability) {
  /** How the call travels, which decides the span attributes (http.*, rpc.* or db.*). */
  public enum Protocol {
    HTTP,
    GRPC,
    SQL,
    MESSAGING
  }

  public DemoCall {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(targetService, "targetService");
    Objects.requireNonNull(target, "target");
    if (probability <= 0 || probability > 1) {
      throw new IllegalArgumentException("probability must be in (0, 1]: " + probability);
    }
  }

  /** First word of the SQL query, upper-cased (SELECT, INSERT, ...); empty for HTTP and gRPC calls. */
  public String sqlOperation() {
    if (protocol != Protocol.SQL) {
      return "";
    }
    int space = target.indexOf(' ');
    return (space < 0 ? target : target.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
  }

  /** The table a SQL query reads or writes (word after FROM, INTO or UPDATE); empty when there is none. */
  public String sqlTable() {
    String[] words = target.split("\\s+");
    for (int i = 0; i < words.length - 1; i++) {
      String word = words[i].toUpperCase(java.util.Locale.ROOT);
      if (word.equals("FROM") || word.equals("INTO") || word.equals("UPDATE")) {
        return words[i + 1];
      }
    }
    return "";
  }
}
