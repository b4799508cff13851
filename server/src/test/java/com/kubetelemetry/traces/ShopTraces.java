/** Seeded test traces of a small shop (frontend, payment, worker, a database and a broker) and their OTLP form. */
package com.kubetelemetry.traces;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Every trace: frontend SERVER root, frontend CLIENT call to payment, payment SERVER, payment CLIENT to the
 * database (no child: a peer), in every third trace a worker SERVER span called straight from the frontend root
 * (no client span), and in every other trace a payment PRODUCER with a worker CONSUMER child and a frontend
 * INTERNAL span. The first trace's root carries two events and a link. Tests compute what the API should
 * answer from these values, never from the engine.
 */
public final class ShopTraces {
  public static final String SCOPE = "shop-lib";
  public static final String SCOPE_VERSION = "1.2";

  /** One event recorded on a span. */
  public record Event(long timeNanos, String name, Map<String, String> attributes) {}

  /** One link from a span. */
  public record Link(String traceId, String spanId, String traceState, Map<String, String> attributes) {}

  /** One span as sent, with everything the read API returns about it. */
  public record FixtureSpan(String tenant, String service, String traceId, String spanId, String parentSpanId,
      String name, Span.SpanKind kind, long startNanos, long durationNanos, boolean error,
      Map<String, String> attributes, List<Event> events, List<Link> links) {

    public long endNanos() {
      return startNanos + durationNanos;
    }
  }

  private ShopTraces() {}

  /** {@code traces} traces for {@code tenant}, the first starting at {@code base}, one every 7 seconds. */
  public static List<FixtureSpan> generate(long seed, Instant base, String tenant, int traces) {
    Random random = new Random(seed);
    List<FixtureSpan> out = new ArrayList<>();
    long baseNanos = base.getEpochSecond() * 1_000_000_000L + base.getNano();
    for (int i = 0; i < traces; i++) {
      String traceId = hex(random, 16);
      long start = baseNanos + i * 7_000_000_000L + random.nextInt(1_000_000);
      String root = hex(random, 8);
      String call = hex(random, 8);
      String pay = hex(random, 8);
      String db = hex(random, 8);
      boolean failed = random.nextInt(5) == 0;
      long rootDuration = 50_000_000L + random.nextInt(450_000_000);
      long callDuration = 20_000_000L + random.nextInt(25_000_000);
      List<Event> events = i == 0 ? List.of(new Event(start + 1_000, "cache miss", Map.of("key", "cart:1")),
          new Event(start + 2_000, "exception", Map.of("exception.type", "Timeout", "exception.message", "slow")))
          : List.of();
      List<Link> links = i == 0 ? List.of(new Link("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
          "k=v", Map.of("link.kind", "follows"))) : List.of();
      out.add(new FixtureSpan(tenant, "frontend", traceId, root, "", "GET /checkout", Span.SpanKind.SPAN_KIND_SERVER,
          start, rootDuration, failed, Map.of("http.route", "/checkout", "http.status_code", failed ? "500" : "200"),
          events, links));
      out.add(new FixtureSpan(tenant, "frontend", traceId, call, root, "POST /pay", Span.SpanKind.SPAN_KIND_CLIENT,
          start + 1_000_000, callDuration, failed, Map.of("server.address", "payment"), List.of(), List.of()));
      long payDuration = callDuration - 2_000_000 - random.nextInt(1_000_000);
      out.add(new FixtureSpan(tenant, "payment", traceId, pay, call, "POST /pay", Span.SpanKind.SPAN_KIND_SERVER,
          start + 2_000_000, payDuration, failed && random.nextBoolean(), Map.of(), List.of(), List.of()));
      out.add(new FixtureSpan(tenant, "payment", traceId, db, pay, "SELECT orders", Span.SpanKind.SPAN_KIND_CLIENT,
          start + 3_000_000, 1_000_000L + random.nextInt(5_000_000), random.nextInt(10) == 0,
          Map.of("db.system.name", "postgresql", "server.address", "pg.shop"), List.of(), List.of()));
      if (i % 3 == 0) {
        out.add(new FixtureSpan(tenant, "worker", traceId, hex(random, 8), root, "GET /status",
            Span.SpanKind.SPAN_KIND_SERVER, start + 6_000_000, 1_000_000L + random.nextInt(4_000_000),
            random.nextInt(3) == 0, Map.of(), List.of(), List.of()));
      }
      if (i % 2 == 0) {
        String send = hex(random, 8);
        out.add(new FixtureSpan(tenant, "payment", traceId, send, pay, "send orders", Span.SpanKind.SPAN_KIND_PRODUCER,
            start + 4_000_000, 500_000L + random.nextInt(500_000), false,
            Map.of("messaging.system", "kafka", "server.address", "kafka.shop"), List.of(), List.of()));
        out.add(new FixtureSpan(tenant, "worker", traceId, hex(random, 8), send, "process orders",
            Span.SpanKind.SPAN_KIND_CONSUMER, start + 5_000_000, 3_000_000L + random.nextInt(9_000_000),
            random.nextInt(4) == 0, Map.of("messaging.system", "kafka"), List.of(), List.of()));
        out.add(new FixtureSpan(tenant, "frontend", traceId, hex(random, 8), root, "render",
            Span.SpanKind.SPAN_KIND_INTERNAL, start + 40_000_000, 5_000_000L, false, Map.of(), List.of(), List.of()));
      }
    }
    return out;
  }

  /** The spans as one OTLP export: a ResourceSpans per tenant and service, naming the tenant in tenant.id. */
  public static ExportTraceServiceRequest request(List<FixtureSpan> spans) {
    Map<List<String>, ScopeSpans.Builder> scopes = new LinkedHashMap<>();
    for (FixtureSpan s : spans) {
      scopes.computeIfAbsent(List.of(s.tenant(), s.service()), k -> ScopeSpans.newBuilder()
          .setScope(InstrumentationScope.newBuilder().setName(SCOPE).setVersion(SCOPE_VERSION)))
          .addSpans(span(s));
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    scopes.forEach((key, scope) -> request.addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", key.get(1)))
            .addAttributes(kv("tenant.id", key.get(0))).addAttributes(kv("k8s.namespace.name", "shop")))
        .addScopeSpans(scope)));
    return request.build();
  }

  /** The resource attributes every span of {@code tenant} and {@code service} was sent with. */
  public static Map<String, String> resource(String tenant, String service) {
    return Map.of("service.name", service, "tenant.id", tenant, "k8s.namespace.name", "shop");
  }

  private static Span span(FixtureSpan s) {
    Span.Builder span = Span.newBuilder().setTraceId(id(s.traceId())).setSpanId(id(s.spanId()))
        .setName(s.name()).setKind(s.kind()).setStartTimeUnixNano(s.startNanos())
        .setEndTimeUnixNano(s.endNanos())
        .setStatus(Status.newBuilder().setCode(s.error() ? Status.StatusCode.STATUS_CODE_ERROR
            : Status.StatusCode.STATUS_CODE_UNSET).setMessage(s.error() ? "failed" : ""));
    if (!s.parentSpanId().isEmpty()) {
      span.setParentSpanId(id(s.parentSpanId()));
    }
    s.attributes().forEach((k, v) -> span.addAttributes(kv(k, v)));
    for (Event e : s.events()) {
      Span.Event.Builder event = Span.Event.newBuilder().setTimeUnixNano(e.timeNanos()).setName(e.name());
      e.attributes().forEach((k, v) -> event.addAttributes(kv(k, v)));
      span.addEvents(event);
    }
    for (Link l : s.links()) {
      Span.Link.Builder link = Span.Link.newBuilder().setTraceId(id(l.traceId())).setSpanId(id(l.spanId()))
          .setTraceState(l.traceState());
      l.attributes().forEach((k, v) -> link.addAttributes(kv(k, v)));
      span.addLinks(link);
    }
    return span.build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  private static String hex(Random random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    b[0] |= 1;
    return HexFormat.of().formatHex(b);
  }
}
