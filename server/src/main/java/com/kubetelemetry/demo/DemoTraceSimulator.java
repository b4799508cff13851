/** Simulates user requests through the demo cluster's call graph, producing span trees and correlated logs. */
package com.kubetelemetry.demo;

import static com.kubetelemetry.demo.OtlpAttributes.num;
import static com.kubetelemetry.demo.OtlpAttributes.str;

import com.google.protobuf.ByteString;
import com.kubetelemetry.demo.DemoCall.Protocol;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Walks the call graph from an entry endpoint. Each hop is a CLIENT span in the caller and a SERVER span in the
 * callee; database queries are CLIENT spans with db.* attributes; a published message starts a separate consumer
 * trace that links back to the PRODUCER span. Children always lie inside their parent's time window.
 */
final class DemoTraceSimulator {
  private static final long MS = 1_000_000L;
  private static final double SLOW_SPAN_RATE = 0.01;
  private static final String[] USER_AGENTS = {
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "shop-mobile/4.2.0 (Android 15)"
  };

  private final DemoCluster cluster;
  private final Random random;
  private final DemoLogWriter logWriter;
  private final List<DemoEndpoint> entries = new ArrayList<>();
  private final double totalEntryWeight;

  DemoTraceSimulator(DemoCluster cluster, Random random) {
    this.cluster = cluster;
    this.random = random;
    this.logWriter = new DemoLogWriter(random);
    double total = 0;
    for (DemoService service : cluster.services()) {
      for (DemoEndpoint endpoint : service.endpoints()) {
        if (endpoint.entryWeight() > 0) {
          entries.add(endpoint);
          total += endpoint.entryWeight();
        }
      }
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("the demo cluster has no entry endpoint");
    }
    this.totalEntryWeight = total;
  }

  /** Simulates one user request entering the cluster at {@code startNanos}. */
  void userRequest(long startNanos, DemoTickOutput out) {
    double pick = random.nextDouble() * totalEntryWeight;
    DemoEndpoint entry = entries.getLast();
    for (DemoEndpoint endpoint : entries) {
      pick -= endpoint.entryWeight();
      if (pick < 0) {
        entry = endpoint;
        break;
      }
    }
    serve(entry, traceId(), ByteString.EMPTY, startNanos, null, out);
  }

  /** What serving a request gave its caller: when it ended, the status it answered and whether it failed. */
  private record Served(long endNanos, int status, boolean failed) {}

  private Served serve(
      DemoEndpoint endpoint, ByteString traceId, ByteString parentSpanId, long startNanos, Span.Link link,
      DemoTickOutput out) {
    DemoService service = cluster.service(endpoint.service());
    DemoPod pod = pick(service.pods());
    ByteString spanId = spanId();
    double selfMs = latencyMs(service.medianSelfMillis());
    boolean slow = random.nextDouble() < SLOW_SPAN_RATE;
    if (slow) {
      selfMs *= 10 + random.nextDouble() * 30;
    }
    long cursor = startNanos + (long) (selfMs * 0.4 * MS);
    boolean downstreamFailed = false;
    boolean notFound = false;
    for (DemoCall call : endpoint.calls()) {
      if (downstreamFailed || random.nextDouble() >= call.probability()) {
        continue;
      }
      long callStart = cursor + (long) ((0.05 + random.nextDouble() * 0.25) * MS);
      Served called = call(call, pod, traceId, spanId, callStart, out);
      cursor = called.endNanos;
      downstreamFailed = called.failed;
      notFound |= called.status == 404;
      if (call.protocol() == Protocol.MESSAGING && !called.failed) {
        out.orderPlaced(pod);
      }
    }
    boolean ownFailure = !downstreamFailed && random.nextDouble() < service.errorRate();
    boolean failed = ownFailure || downstreamFailed;
    long endNanos = cursor + (long) (selfMs * 0.6 * MS) + 1;
    int status = failed ? (ownFailure ? 500 : 502) : (endpoint.method().equals("POST") ? 201 : 200);
    if (endpoint.protocol() == Protocol.HTTP && !failed
        && (notFound || endpoint.route().equals("/products/{id}") && random.nextDouble() < 0.02)) {
      status = 404;
    }
    Span.Builder span = Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(spanId)
        .setParentSpanId(parentSpanId)
        .setName(endpoint.spanName())
        .setStartTimeUnixNano(startNanos)
        .setEndTimeUnixNano(endNanos);
    String message = "";
    if (ownFailure) {
      DemoLogWriter.Failure failure = logWriter.failure(service.name());
      message = failure.message();
      span.addEvents(failure.event(endNanos - (long) (selfMs * 0.3 * MS)));
    } else if (downstreamFailed) {
      message = "downstream call failed";
    }
    span.setStatus(failed
        ? Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message)
        : Status.newBuilder());
    double seconds = (endNanos - startNanos) / 1e9;
    switch (endpoint.protocol()) {
      case HTTP -> {
        span.setKind(SpanKind.SPAN_KIND_SERVER).addAllAttributes(httpServerAttributes(endpoint, status, parentSpanId));
        out.requests.add(new DemoTickOutput.Request(pod, endpoint.method(), endpoint.route(), status, seconds));
      }
      case GRPC -> {
        span.setKind(SpanKind.SPAN_KIND_SERVER).addAllAttributes(rpcAttributes(endpoint, failed));
        out.requests.add(new DemoTickOutput.Request(
            pod, "POST", "/" + endpoint.spanName(), failed ? 500 : 200, seconds));
      }
      case MESSAGING -> span.setKind(SpanKind.SPAN_KIND_CONSUMER).addAllAttributes(List.of(
          str("messaging.system", "kafka"),
          str("messaging.destination.name", endpoint.route()),
          str("messaging.operation.type", "process"),
          str("messaging.operation.name", "process"),
          str("messaging.consumer.group.name", service.name()),
          num("messaging.kafka.offset", random.nextInt(1_000_000))));
      case SQL -> throw new IllegalStateException("an endpoint cannot be SQL");
    }
    if (link != null) {
      span.addLinks(link);
    }
    out.span(pod, span.build());
    logWriter.serverLogs(pod, endpoint, span.build(), status, slow, ownFailure, out);
    return new Served(endNanos, status, failed);
  }

  private Served call(
      DemoCall call, DemoPod caller, ByteString traceId, ByteString parentSpanId, long startNanos,
      DemoTickOutput out) {
    ByteString spanId = spanId();
    Span.Builder span = Span.newBuilder().setTraceId(traceId).setSpanId(spanId).setParentSpanId(parentSpanId)
        .setStartTimeUnixNano(startNanos).setKind(SpanKind.SPAN_KIND_CLIENT);
    long endNanos;
    boolean failed;
    boolean clientError = false;
    int status = 0;
    switch (call.protocol()) {
      case HTTP, GRPC -> {
        DemoEndpoint target = cluster.endpoint(call.targetService(), call.target());
        long network = (long) ((0.2 + random.nextDouble() * 0.8) * MS);
        Served served = serve(target, traceId, spanId, startNanos + network, null, out);
        endNanos = served.endNanos + network;
        failed = served.failed;
        status = served.status;
        clientError = served.failed || served.status >= 400;
        String host = target.service() + "." + cluster.service(target.service()).namespace() + ".svc.cluster.local";
        span.setName(target.spanName());
        if (call.protocol() == Protocol.HTTP) {
          String path = concretePath(target.route());
          span.addAllAttributes(List.of(
              str("http.request.method", target.method()),
              str("url.full", "http://" + host + ":8080" + path),
              str("url.template", target.route()),
              str("server.address", host),
              num("server.port", 8080),
              num("http.response.status_code", served.status),
              str("network.protocol.version", "1.1")));
          if (served.status >= 500) {
            span.addAttributes(str("error.type", Integer.toString(served.status)));
          }
        } else {
          span.addAllAttributes(rpcAttributes(target, served.failed));
          span.addAttributes(str("server.address", host)).addAttributes(num("server.port", 9090));
        }
      }
      case SQL -> {
        DemoService database = cluster.service(call.targetService());
        DemoPod dbPod = call.sqlOperation().equals("SELECT") ? pick(database.pods()) : database.pods().getFirst();
        double ms = latencyMs(database.medianSelfMillis());
        if (random.nextDouble() < SLOW_SPAN_RATE) {
          ms *= 50 + random.nextDouble() * 250;
        }
        endNanos = startNanos + (long) (ms * MS) + 1;
        failed = random.nextDouble() < database.errorRate();
        clientError = failed;
        span.setName(call.sqlOperation() + " " + call.sqlTable()).addAllAttributes(List.of(
            str("db.system.name", "postgresql"),
            str("db.namespace", "shop"),
            str("db.operation.name", call.sqlOperation()),
            str("db.collection.name", call.sqlTable()),
            str("db.query.text", call.target()),
            str("server.address", database.name() + "." + database.namespace() + ".svc.cluster.local"),
            num("server.port", 5432)));
        if (failed) {
          span.addAttributes(str("db.response.status_code", "40P01")).addAttributes(str("error.type", "40P01"));
        }
        out.queries.add(new DemoTickOutput.Query(caller, dbPod, call.sqlOperation(), ms / 1000));
        logWriter.queryLog(caller, call, traceId, spanId, endNanos, ms, failed, out);
      }
      case MESSAGING -> {
        endNanos = startNanos + (long) ((0.3 + random.nextDouble() * 1.5) * MS);
        failed = false;
        span.setKind(SpanKind.SPAN_KIND_PRODUCER).setName("send " + call.target()).addAllAttributes(List.of(
            str("messaging.system", "kafka"),
            str("messaging.destination.name", call.target()),
            str("messaging.operation.type", "send"),
            str("messaging.operation.name", "send"),
            str("server.address", "kafka.shop-data.svc.cluster.local"),
            num("server.port", 9092)));
        Span.Link link = Span.Link.newBuilder().setTraceId(traceId).setSpanId(spanId)
            .addAttributes(str("messaging.destination.name", call.target())).build();
        long consumeAt = endNanos + (long) ((2 + random.nextDouble() * 150) * MS);
        serve(cluster.endpoint(call.targetService(), call.target()), traceId(), ByteString.EMPTY, consumeAt, link,
            out);
      }
      default -> throw new IllegalStateException("unknown protocol " + call.protocol());
    }
    span.setEndTimeUnixNano(endNanos);
    if (clientError) {
      span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    out.span(caller, span.build());
    return new Served(endNanos, status, failed);
  }

  private List<KeyValue> httpServerAttributes(DemoEndpoint endpoint, int status, ByteString parentSpanId) {
    List<KeyValue> attributes = new ArrayList<>(List.of(
        str("http.request.method", endpoint.method()),
        str("http.route", endpoint.route()),
        str("url.path", concretePath(endpoint.route())),
        str("url.scheme", "http"),
        num("http.response.status_code", status),
        str("server.address", endpoint.service()),
        num("server.port", 8080),
        str("network.protocol.version", "1.1")));
    if (parentSpanId.isEmpty()) {
      attributes.add(str("client.address", "203.0.113." + (1 + random.nextInt(254))));
      attributes.add(str("user_agent.original", USER_AGENTS[random.nextInt(USER_AGENTS.length)]));
    }
    if (status >= 500) {
      attributes.add(str("error.type", Integer.toString(status)));
    }
    return attributes;
  }

  private static List<KeyValue> rpcAttributes(DemoEndpoint endpoint, boolean failed) {
    return List.of(
        str("rpc.system", "grpc"),
        str("rpc.service", endpoint.route()),
        str("rpc.method", endpoint.method()),
        num("rpc.grpc.status_code", failed ? 14 : 0));
  }

  private String concretePath(String route) {
    return route.replace("{id}", Integer.toString(1000 + random.nextInt(9000)));
  }

  /** A log-normal latency around {@code medianMs}: mostly near the median, with a long right tail. */
  private double latencyMs(double medianMs) {
    return medianMs * Math.exp(random.nextGaussian() * 0.5);
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  ByteString traceId() {
    return nonZeroBytes(16);
  }

  ByteString spanId() {
    return nonZeroBytes(8);
  }

  private ByteString nonZeroBytes(int length) {
    byte[] bytes = new byte[length];
    do {
      random.nextBytes(bytes);
    } while (isZero(bytes));
    return ByteString.copyFrom(bytes);
  }

  private static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
