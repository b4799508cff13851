/** Span kinds as stored in the SpanKind column of otel_traces, for filters and for reading rows back. */
package com.kubetelemetry.query.traces;

import java.util.List;

/** The order is the OpenTelemetry (and API) enum order, used wherever results are sorted by kind. */
public enum SpanKind {
  INTERNAL("Internal"), SERVER("Server"), CLIENT("Client"), PRODUCER("Producer"), CONSUMER("Consumer");

  /** Stored names in enum order; a SQL {@code indexOf} over them sorts kinds like the API enum (unknown first). */
  public static final List<String> STORED_ORDER = List.of("Internal", "Server", "Client", "Producer", "Consumer");

  private final String stored;

  SpanKind(String stored) {
    this.stored = stored;
  }

  /** The value in the SpanKind column. */
  public String stored() {
    return stored;
  }

  /** The kind stored as {@code value}, or null for "Unspecified", "" or anything unknown. */
  public static SpanKind fromStored(String value) {
    for (SpanKind k : values()) {
      if (k.stored.equals(value)) {
        return k;
      }
    }
    return null;
  }
}
