/** What the trace read API should answer about fixture spans, computed in plain Java from the spans sent. */
package com.kubetelemetry.traces;

import com.kubetelemetry.traces.ShopTraces.FixtureSpan;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Works on the spans one tenant sent within a window; quantiles follow quantilesExact (index floor(q * n)). */
public final class ShopExpectations {
  private ShopExpectations() {}

  /** One expected service graph edge. */
  public record Edge(String caller, String callee, String kind, long calls, long errors, long p50, long p95) {}

  /** Expected figures of one span-metrics group: totals and requests/errors per bucket index. */
  public record Figures(long requests, long errors, List<Long> latencies, Map<Long, long[]> buckets) {}

  /** The exact quantile {@code q} of {@code values} as the engine's quantileExact picks it. */
  public static long quantile(List<Long> values, double q) {
    List<Long> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    int index = q < 1 ? (int) (q * n) : n - 1;
    return sorted.get(index);
  }

  /** The spans of {@code tenant} starting in [startNanos, endNanos). */
  public static List<FixtureSpan> in(List<FixtureSpan> spans, String tenant, long startNanos, long endNanos) {
    return spans.stream().filter(s -> s.tenant().equals(tenant) && s.startNanos() >= startNanos
        && s.startNanos() < endNanos).toList();
  }

  public static List<Edge> edges(List<FixtureSpan> spans) {
    Map<String, FixtureSpan> byId = new HashMap<>();
    spans.forEach(s -> byId.put(s.traceId() + "/" + s.spanId(), s));
    Map<List<String>, List<long[]>> calls = new TreeMap<>(Comparator.comparing(Object::toString));
    Set<String> parentsOfRemote = new java.util.HashSet<>();
    for (FixtureSpan c : spans) {
      if (c.kind() != Span.SpanKind.SPAN_KIND_SERVER && c.kind() != Span.SpanKind.SPAN_KIND_CONSUMER) {
        continue;
      }
      parentsOfRemote.add(c.traceId() + "/" + c.parentSpanId());
      FixtureSpan p = byId.get(c.traceId() + "/" + c.parentSpanId());
      if (p == null || p.service().equals(c.service())) {
        continue;
      }
      boolean callerSide = p.kind() == Span.SpanKind.SPAN_KIND_CLIENT || p.kind() == Span.SpanKind.SPAN_KIND_PRODUCER;
      calls.computeIfAbsent(List.of(p.service(), c.service(), "service"), k -> new ArrayList<>())
          .add(new long[] {callerSide ? p.durationNanos() : c.durationNanos(), p.error() || c.error() ? 1 : 0});
    }
    for (FixtureSpan s : spans) {
      boolean outgoing = s.kind() == Span.SpanKind.SPAN_KIND_CLIENT || s.kind() == Span.SpanKind.SPAN_KIND_PRODUCER;
      if (!outgoing || parentsOfRemote.contains(s.traceId() + "/" + s.spanId())) {
        continue;
      }
      Map<String, String> a = s.attributes();
      String db = a.getOrDefault("db.system.name", a.getOrDefault("db.system", ""));
      String address = a.getOrDefault("server.address", "");
      String messaging = a.getOrDefault("messaging.system", "");
      String kind = !db.isEmpty() ? "database" : !messaging.isEmpty() ? "messaging" : "external";
      String name = !db.isEmpty() ? (address.isEmpty() ? db : address) : !messaging.isEmpty() ? messaging
          : a.getOrDefault("peer.service", address);
      if (!name.isEmpty()) {
        calls.computeIfAbsent(List.of(s.service(), name, kind), k -> new ArrayList<>())
            .add(new long[] {s.durationNanos(), s.error() ? 1 : 0});
      }
    }
    List<Edge> out = new ArrayList<>();
    calls.forEach((key, list) -> {
      List<Long> latencies = list.stream().map(v -> v[0]).toList();
      out.add(new Edge(key.get(0), key.get(1), key.get(2), list.size(), list.stream().mapToLong(v -> v[1]).sum(),
          quantile(latencies, 0.5), quantile(latencies, 0.95)));
    });
    out.sort(Comparator.comparingLong(Edge::calls).reversed().thenComparing(Edge::caller)
        .thenComparing(Edge::callee));
    return out;
  }

  /** Span-metrics figures per group key (service, or service/name/kind) of the spans passing {@code filter}. */
  public static Map<String, Figures> figures(List<FixtureSpan> spans, Predicate<FixtureSpan> filter,
      boolean perService, long gridStartSeconds, long stepSeconds, List<Double> quantiles) {
    Map<String, List<FixtureSpan>> groups = new TreeMap<>();
    for (FixtureSpan s : spans) {
      if (filter.test(s)) {
        String key = perService ? s.service() : s.service() + "/" + s.name() + "/" + s.kind();
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      }
    }
    Map<String, Figures> out = new TreeMap<>();
    groups.forEach((key, list) -> {
      List<Long> durations = list.stream().map(FixtureSpan::durationNanos).toList();
      Map<Long, long[]> buckets = new TreeMap<>();
      for (FixtureSpan s : list) {
        long bucket = Math.floorDiv(Math.floorDiv(s.startNanos(), 1_000_000_000L) - gridStartSeconds, stepSeconds);
        long[] b = buckets.computeIfAbsent(bucket, k -> new long[2]);
        b[0]++;
        b[1] += s.error() ? 1 : 0;
      }
      out.put(key, new Figures(list.size(), list.stream().filter(FixtureSpan::error).count(),
          quantiles.stream().map(q -> quantile(durations, q)).toList(), buckets));
    });
    return out;
  }
}
