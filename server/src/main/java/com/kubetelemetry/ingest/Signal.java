/** The three OTLP signals, with the names used in counters and messages. */
package com.kubetelemetry.ingest;

enum Signal {
  TRACES("traces", "spans"),
  METRICS("metrics", "data points"),
  LOGS("logs", "log records");

  final String label;
  final String itemName;

  Signal(String label, String itemName) {
    this.label = label;
    this.itemName = itemName;
  }
}
