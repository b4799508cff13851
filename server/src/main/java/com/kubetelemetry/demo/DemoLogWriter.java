/** Writes the demo's log records: access logs, slow-request warnings, errors with exceptions, background chatter. */
package com.kubetelemetry.demo;

import static com.kubetelemetry.demo.OtlpAttributes.kvlist;
import static com.kubetelemetry.demo.OtlpAttributes.num;
import static com.kubetelemetry.demo.OtlpAttributes.str;
import static com.kubetelemetry.demo.OtlpAttributes.text;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Log records for the demo. Records written while serving a request carry its trace and span ids; the frontend
 * writes structured (kvlist) access logs, the others plain text. Severity numbers follow the OTel log data model.
 */
final class DemoLogWriter {
  private static final double ACCESS_LOG_RATE = 0.3;
  private static final double QUERY_DEBUG_RATE = 0.1;

  private final Random random;

  DemoLogWriter(Random random) {
    this.random = random;
  }

  /** An exception a service raised: becomes a span event and an ERROR log. */
  record Failure(String type, String message, String stacktrace) {
    Span.Event event(long timeNanos) {
      return Span.Event.newBuilder().setName("exception").setTimeUnixNano(timeNanos)
          .addAttributes(str("exception.type", type))
          .addAttributes(str("exception.message", message))
          .addAttributes(str("exception.stacktrace", stacktrace))
          .build();
    }
  }

  Failure failure(String service) {
    String pkg = "com.shop." + service;
    return switch (service) {
      case "payment" -> random.nextBoolean()
          ? failure(pkg + ".ProviderTimeoutException", "payment provider did not answer within 10s", pkg, "Charge")
          : failure(pkg + ".CardDeclinedException", "card declined by issuer (code 05)", pkg, "Charge");
      case "checkout" -> failure("java.lang.IllegalStateException", "order total does not match cart total", pkg,
          "placeOrder");
      case "cart" -> failure("java.util.ConcurrentModificationException", "cart was modified concurrently", pkg,
          "updateCart");
      default -> failure("java.lang.NullPointerException",
          "Cannot invoke \"Product.price()\" because \"product\" is null", pkg, "handle");
    };
  }

  private static Failure failure(String type, String message, String pkg, String method) {
    String stack = type + ": " + message + "\n"
        + "\tat " + pkg + ".RequestHandler." + method + "(RequestHandler.java:118)\n"
        + "\tat " + pkg + ".RequestHandler.serve(RequestHandler.java:64)\n"
        + "\tat io.grpc.internal.ServerImpl$JumpToApplicationThreadServerStreamListener.run(ServerImpl.java:863)\n"
        + "\tat java.base/java.lang.Thread.run(Thread.java:1474)";
    return new Failure(type, message, stack);
  }

  /** The logs a server span leaves: sampled access log, slow-request warning, error with its exception. */
  void serverLogs(
      DemoPod pod, DemoEndpoint endpoint, Span span, int status, boolean slow, boolean ownFailure,
      DemoTickOutput out) {
    long end = span.getEndTimeUnixNano();
    double ms = (end - span.getStartTimeUnixNano()) / 1e6;
    String duration = String.format(Locale.ROOT, "%.1f", ms);
    if (random.nextDouble() < ACCESS_LOG_RATE) {
      AnyValue body = pod.service().equals("frontend")
          ? kvlist(List.of(
              str("event", "request.completed"),
              str("method", endpoint.method()),
              str("route", endpoint.route()),
              num("status", status),
              OtlpAttributes.dbl("duration_ms", Math.round(ms * 10) / 10.0)))
          : text("handled " + endpoint.spanName() + " -> " + status + " in " + duration + " ms");
      out.log(pod, record(end, SeverityNumber.SEVERITY_NUMBER_INFO, "INFO", body, span.getTraceId(),
          span.getSpanId(), List.of(str("code.function.name", "serve"), num("http.response.status_code", status))));
    }
    if (slow) {
      out.log(pod, record(end, SeverityNumber.SEVERITY_NUMBER_WARN, "WARN",
          text("slow request: " + endpoint.spanName() + " took " + duration + " ms (threshold 250 ms)"),
          span.getTraceId(), span.getSpanId(), List.of(str("log.kind", "slow-request"))));
    }
    if (ownFailure && !span.getEventsList().isEmpty()) {
      Span.Event event = span.getEvents(0);
      String type = event.getAttributes(0).getValue().getStringValue();
      String message = event.getAttributes(1).getValue().getStringValue();
      out.log(pod, record(event.getTimeUnixNano(), SeverityNumber.SEVERITY_NUMBER_ERROR, "ERROR",
          text(endpoint.spanName() + " failed: " + message), span.getTraceId(), span.getSpanId(), List.of(
              str("exception.type", type),
              str("exception.message", message),
              event.getAttributes(2))));
    }
  }

  /** A sampled DEBUG log for a database query, or an ERROR when the query failed. */
  void queryLog(
      DemoPod caller, DemoCall call, ByteString traceId, ByteString spanId, long endNanos, double ms,
      boolean failed, DemoTickOutput out) {
    if (failed) {
      out.log(caller, record(endNanos, SeverityNumber.SEVERITY_NUMBER_ERROR, "ERROR",
          text("query failed: ERROR: deadlock detected (SQLSTATE 40P01)"), traceId, spanId, List.of(
              str("db.query.text", call.target()), str("db.response.status_code", "40P01"))));
    } else if (random.nextDouble() < QUERY_DEBUG_RATE) {
      out.log(caller, record(endNanos, SeverityNumber.SEVERITY_NUMBER_DEBUG, "DEBUG",
          kvlist(List.of(
              str("event", "db.query"),
              str("operation", call.sqlOperation()),
              str("table", call.sqlTable()),
              OtlpAttributes.dbl("duration_ms", Math.round(ms * 100) / 100.0))),
          traceId, spanId, List.of(str("db.operation.name", call.sqlOperation()))));
    }
  }

  /** Logs not tied to a request: database checkpoints and autovacuum, JVM pauses. */
  void backgroundLogs(DemoCluster cluster, long fromNanos, long toNanos, DemoTickOutput out) {
    double seconds = (toNanos - fromNanos) / 1e9;
    for (DemoPod pod : cluster.pods()) {
      if (random.nextDouble() >= seconds * 0.1) {
        continue;
      }
      long at = fromNanos + (long) (random.nextDouble() * (toNanos - fromNanos));
      if (cluster.service(pod.service()).isDatabase()) {
        boolean checkpoint = random.nextBoolean();
        out.log(pod, record(at,
            checkpoint ? SeverityNumber.SEVERITY_NUMBER_INFO : SeverityNumber.SEVERITY_NUMBER_DEBUG,
            checkpoint ? "INFO" : "DEBUG",
            text(checkpoint
                ? "checkpoint complete: wrote " + (50 + random.nextInt(2000)) + " buffers"
                : "automatic vacuum of table \"shop.public.cart_items\": index scans: 1"),
            ByteString.EMPTY, ByteString.EMPTY, List.of(str("log.source", "postgres"))));
      } else if (random.nextDouble() < 0.2) {
        out.log(pod, record(at, SeverityNumber.SEVERITY_NUMBER_WARN, "WARN",
            text("GC pause (G1 Evacuation Pause) " + (120 + random.nextInt(400)) + " ms"),
            ByteString.EMPTY, ByteString.EMPTY, List.of(str("log.source", "jvm"))));
      } else {
        out.log(pod, record(at, SeverityNumber.SEVERITY_NUMBER_DEBUG, "DEBUG",
            text("connection pool stats: active=" + random.nextInt(10) + " idle=" + random.nextInt(10)),
            ByteString.EMPTY, ByteString.EMPTY, List.of(str("log.source", "pool"))));
      }
    }
  }

  /** The logs a container restart leaves: a warning before, an info line after start-up. */
  void restartLogs(DemoPod pod, long atNanos, DemoTickOutput out) {
    out.log(pod, record(atNanos, SeverityNumber.SEVERITY_NUMBER_WARN, "WARN",
        text("container " + pod.service() + " restarted (last state: Terminated, reason: OOMKilled)"),
        ByteString.EMPTY, ByteString.EMPTY, List.of(str("k8s.pod.name", pod.name()))));
    out.log(pod, record(atNanos + 1, SeverityNumber.SEVERITY_NUMBER_INFO, "INFO",
        text("started " + pod.service() + " in " + (2 + random.nextInt(5)) + "." + random.nextInt(10) + " s"),
        ByteString.EMPTY, ByteString.EMPTY, List.of(str("log.source", "app"))));
  }

  private static LogRecord record(
      long timeNanos, SeverityNumber severity, String severityText, AnyValue body, ByteString traceId,
      ByteString spanId, List<io.opentelemetry.proto.common.v1.KeyValue> attributes) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(timeNanos)
        .setObservedTimeUnixNano(timeNanos)
        .setSeverityNumber(severity)
        .setSeverityText(severityText)
        .setBody(body)
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setFlags(traceId.isEmpty() ? 0 : 1)
        .addAllAttributes(attributes)
        .build();
  }
}
