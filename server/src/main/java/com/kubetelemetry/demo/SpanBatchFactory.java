/** Builds OTLP trace export requests of an exact span count, for the ingest benchmark. */
package com.kubetelemetry.demo;

import static com.kubetelemetry.demo.OtlpAttributes.num;
import static com.kubetelemetry.demo.OtlpAttributes.str;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Realistic spans in bulk: traces of up to eight spans (a server span with nested children) spread over the demo
 * cluster's pods, each span with ten attributes. Deterministic for a seed; successive calls give new ids.
 * {@link #create} is synchronized; use one factory per thread for the highest throughput.
 */
public final class SpanBatchFactory {
  private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
  private static final String[] ROUTES = {"/", "/cart", "/products", "/products/{id}", "/orders", "/orders/{id}"};

  private final Random random;
  private final List<DemoPod> pods;

  public SpanBatchFactory(long seed) {
    this.random = new Random(seed);
    this.pods = DemoCluster.shop().pods();
  }

  /** A request holding exactly {@code spans} spans whose traces start at or after {@code start}. */
  public synchronized ExportTraceServiceRequest create(int spans, Instant start) {
    Objects.requireNonNull(start, "start");
    if (spans < 0) {
      throw new IllegalArgumentException("spans must not be negative: " + spans);
    }
    long base = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    Map<DemoPod, ScopeSpans.Builder> byPod = new LinkedHashMap<>();
    int made = 0;
    while (made < spans) {
      int traceSize = Math.min(spans - made, 1 + random.nextInt(8));
      ByteString traceId = bytes(16);
      long traceStart = base + random.nextInt(1_000_000_000);
      long traceEnd = traceStart + 2_000_000L + random.nextInt(300_000_000);
      ByteString parent = ByteString.EMPTY;
      long spanStart = traceStart;
      long spanEnd = traceEnd;
      for (int i = 0; i < traceSize; i++) {
        DemoPod pod = pods.get(random.nextInt(pods.size()));
        ByteString spanId = bytes(8);
        boolean error = random.nextInt(100) < 3;
        String method = METHODS[random.nextInt(METHODS.length)];
        String route = ROUTES[random.nextInt(ROUTES.length)];
        int status = error ? 500 : (method.equals("POST") ? 201 : 200);
        Span span = Span.newBuilder()
            .setTraceId(traceId)
            .setSpanId(spanId)
            .setParentSpanId(parent)
            .setName(method + " " + route)
            .setKind(i == 0 ? SpanKind.SPAN_KIND_SERVER : SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(spanStart)
            .setEndTimeUnixNano(spanEnd)
            .setStatus(error
                ? Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("internal error")
                : Status.newBuilder())
            .addAttributes(str("http.request.method", method))
            .addAttributes(str("http.route", route))
            .addAttributes(str("url.path", route.replace("{id}", Integer.toString(random.nextInt(100_000)))))
            .addAttributes(str("url.scheme", "http"))
            .addAttributes(num("http.response.status_code", status))
            .addAttributes(str("server.address", pod.service()))
            .addAttributes(num("server.port", 8080))
            .addAttributes(str("network.protocol.version", "1.1"))
            .addAttributes(str("client.address", "10.0." + random.nextInt(256) + "." + random.nextInt(256)))
            .addAttributes(str("user_agent.original", "shop-client/" + (1 + random.nextInt(5)) + ".0"))
            .build();
        byPod.computeIfAbsent(pod, p -> ScopeSpans.newBuilder().setScope(DemoTickOutput.scope(p))).addSpans(span);
        parent = spanId;
        long length = spanEnd - spanStart;
        spanStart += 1 + length / 10;
        spanEnd -= 1 + length / 10;
        if (spanEnd <= spanStart) {
          spanEnd = spanStart + 1;
        }
        made++;
      }
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    byPod.forEach((pod, scope) ->
        request.addResourceSpans(ResourceSpans.newBuilder().setResource(pod.resource()).addScopeSpans(scope)));
    return request.build();
  }

  private ByteString bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    bytes[0] |= 1;
    return ByteString.copyFrom(bytes);
  }
}
