/** SearchTraces through the real server: seeded spans sent over OTLP, answers checked against Java's own summary. */
package com.kubetelemetry.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.kubetelemetry.api.v1.AttributeMatcher;
import com.kubetelemetry.api.v1.AttributeTarget;
import com.kubetelemetry.api.v1.MatchOperator;
import com.kubetelemetry.api.v1.PageRequest;
import com.kubetelemetry.api.v1.SearchTracesRequest;
import com.kubetelemetry.api.v1.SpanStatus;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.api.v1.TraceOrderBy;
import com.kubetelemetry.api.v1.TraceSummary;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SearchTracesEndToEndTest {
  private static final List<String> SERVICES = List.of("frontend", "checkout", "payment");
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withQuery(
      new ServerConfig.QuerySection(Duration.ofHours(1), Duration.ofDays(2), Duration.ofSeconds(30), 1_000_000_000L,
          100_000L, 1000, 11000)));

  /** One stored span as the test remembers it. */
  record SentSpan(String tenant, String traceId, String spanId, String parentId, String service, String name,
      long start, long end, boolean error, int httpStatus) {}

  private static final List<SentSpan> SENT = new ArrayList<>();

  @BeforeAll
  static void sendSpans() {
    Random random = new Random(42);
    for (String tenant : List.of("acme", "globex")) {
      int traces = tenant.equals("acme") ? 40 : 10;
      for (int t = 0; t < traces; t++) {
        String traceId = hex(random, 16);
        long start = NOW - Duration.ofMinutes(50).toNanos() + t * 60_000_000_000L + random.nextInt(1_000_000);
        int spans = 1 + random.nextInt(4);
        String root = hex(random, 8);
        for (int s = 0; s < spans; s++) {
          String spanId = s == 0 ? root : hex(random, 8);
          long spanStart = start + s * 1_000_000L;
          long spanEnd = spanStart + (1 + random.nextInt(500)) * 1_000_000L;
          SENT.add(new SentSpan(tenant, traceId, spanId, s == 0 ? "" : root, SERVICES.get(random.nextInt(3)),
              s == 0 ? "GET /" + t % 3 : "call-" + s, spanStart, spanEnd, random.nextInt(5) == 0,
              random.nextBoolean() ? 200 : 500 + random.nextInt(4)));
        }
      }
    }
    var stub = GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    for (SentSpan s : SENT) {
      stub.export(ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(text("service.name", s.service()))
              .addAttributes(text("tenant.id", s.tenant())))
          .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
              .setTraceId(bytes(s.traceId())).setSpanId(bytes(s.spanId()))
              .setParentSpanId(s.parentId().isEmpty() ? ByteString.EMPTY : bytes(s.parentId()))
              .setName(s.name()).setStartTimeUnixNano(s.start()).setEndTimeUnixNano(s.end())
              .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
                  .setCode(s.error() ? StatusCode.STATUS_CODE_ERROR : StatusCode.STATUS_CODE_OK))
              .addAttributes(KeyValue.newBuilder().setKey("http.status_code")
                  .setValue(AnyValue.newBuilder().setIntValue(s.httpStatus())))))).build());
    }
  }

  @Test
  void defaultSearchReturnsTheNewestTwentyTracesOfTheCallersTenant() {
    List<TraceSummary> got = search("acme", SearchTracesRequest.getDefaultInstance());
    assertThat(got).containsExactlyElementsOf(expected("acme", s -> true, false, 20));
    assertThat(got).hasSize(20);
  }

  @Test
  void readsWithoutTenantHeaderActForTheDefaultTenantWhichHasNoData() {
    var stub = GrpcClients.newClient(server.uri(), TracesServiceGrpc.TracesServiceBlockingStub.class);
    assertThat(stub.searchTraces(SearchTracesRequest.getDefaultInstance()).getTracesList()).isEmpty();
  }

  @Test
  void tenantsNeverSeeEachOthersTraces() {
    List<TraceSummary> globex = search("globex", SearchTracesRequest.newBuilder()
        .setPage(PageRequest.newBuilder().setPageSize(1000)).build());
    assertThat(globex).containsExactlyElementsOf(expected("globex", s -> true, false, 1000)).hasSize(10);
    TreeSet<String> acmeIds = SENT.stream().filter(s -> s.tenant().equals("acme")).map(SentSpan::traceId)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(globex).extracting(TraceSummary::getTraceId).noneMatch(acmeIds::contains);
  }

  @Test
  void filtersOnServiceStatusDurationAndNumericAttribute() {
    SearchTracesRequest request = SearchTracesRequest.newBuilder()
        .setServiceName("checkout")
        .setMinDuration(com.google.protobuf.Duration.newBuilder().setNanos(100_000_000))
        .addMatchers(AttributeMatcher.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_ITEM)
            .setKey("http.status_code").setOperator(MatchOperator.MATCH_OPERATOR_GREATER_OR_EQUAL).setValue("500"))
        .setPage(PageRequest.newBuilder().setPageSize(1000)).build();
    Predicate<SentSpan> matching = s -> s.service().equals("checkout") && s.end() - s.start() >= 100_000_000L
        && s.httpStatus() >= 500;
    List<TraceSummary> expected = expected("acme", matching, false, 1000);
    assertThat(expected).isNotEmpty();
    assertThat(search("acme", request)).containsExactlyElementsOf(expected);

    SearchTracesRequest errors = SearchTracesRequest.newBuilder().setStatus(SpanStatus.SPAN_STATUS_ERROR)
        .setOrderBy(TraceOrderBy.TRACE_ORDER_BY_DURATION).setPage(PageRequest.newBuilder().setPageSize(5)).build();
    assertThat(search("acme", errors)).containsExactlyElementsOf(expected("acme", SentSpan::error, true, 5));
  }

  @Test
  void badInputIsInvalidArgumentNamingTheField() {
    assertStatus(SearchTracesRequest.newBuilder().addMatchers(AttributeMatcher.newBuilder()
            .setTarget(AttributeTarget.ATTRIBUTE_TARGET_FIELD).setKey("Timestamp").setValue("x")).build(),
        Status.Code.INVALID_ARGUMENT, "matchers[0].key", "service_name");
    assertStatus(SearchTracesRequest.newBuilder().addMatchers(AttributeMatcher.newBuilder().setKey("k")
            .setOperator(MatchOperator.MATCH_OPERATOR_REGEX).setValue("(unclosed")).build(),
        Status.Code.INVALID_ARGUMENT, "regular expression", "RE2");
    assertStatus(SearchTracesRequest.newBuilder().setTimeRange(TimeRange.newBuilder().setRelative("3 weeks"))
        .build(), Status.Code.INVALID_ARGUMENT, "relative", "");
    assertStatus(SearchTracesRequest.newBuilder().setTimeRange(TimeRange.newBuilder().setRelative("30d")).build(),
        Status.Code.RESOURCE_EXHAUSTED, "time range", "narrow");
  }

  private static void assertStatus(SearchTracesRequest request, Status.Code code, String part1, String part2) {
    assertThatThrownBy(() -> search("acme", request)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(part1).contains(part2).doesNotContain("otel_traces WHERE");
    });
  }

  static List<TraceSummary> search(String tenant, SearchTracesRequest request) {
    var stub = GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, tenant)
        .build(TracesServiceGrpc.TracesServiceBlockingStub.class);
    return stub.searchTraces(request).getTracesList();
  }

  /**
   * Java's own answer: the page is the {@code limit} traces whose matching spans start latest (or last longest),
   * each summed over all its spans, then ordered by trace start (or trace duration).
   */
  private static List<TraceSummary> expected(String tenant, Predicate<SentSpan> matching, boolean byDuration,
      int limit) {
    Map<String, List<SentSpan>> byTrace = SENT.stream().filter(s -> s.tenant().equals(tenant))
        .collect(Collectors.groupingBy(SentSpan::traceId));
    Comparator<Map.Entry<String, List<SentSpan>>> rank = byDuration
        ? Comparator.comparingLong(e -> -e.getValue().stream().filter(matching)
            .mapToLong(s -> s.end() - s.start()).max().orElseThrow())
        : Comparator.comparingLong(e -> -e.getValue().stream().filter(matching)
            .mapToLong(SentSpan::start).min().orElseThrow());
    List<String> page = byTrace.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(matching))
        .sorted(rank.thenComparing(Map.Entry::getKey)).limit(limit).map(Map.Entry::getKey).toList();
    List<TraceSummary> out = new ArrayList<>();
    byTrace.forEach((id, spans) -> {
      if (!page.contains(id)) {
        return;
      }
      SentSpan root = spans.stream().filter(s -> s.parentId().isEmpty()).findFirst().orElseThrow();
      long start = spans.stream().mapToLong(SentSpan::start).min().orElseThrow();
      long end = spans.stream().mapToLong(SentSpan::end).max().orElseThrow();
      out.add(TraceSummary.newBuilder().setTraceId(id).setRootServiceName(root.service())
          .setRootSpanName(root.name())
          .setStartTime(com.kubetelemetry.read.ProtoQueries.timestamp(start))
          .setDuration(com.kubetelemetry.read.ProtoQueries.duration(end - start))
          .setSpanCount(spans.size()).setErrorCount((int) spans.stream().filter(SentSpan::error).count())
          .addAllServiceNames(spans.stream().map(SentSpan::service).collect(Collectors.toCollection(TreeSet::new)))
          .build());
    });
    Comparator<TraceSummary> order = byDuration
        ? Comparator.comparingLong((TraceSummary t) -> nanos(t.getDuration())).reversed()
        : Comparator.comparingLong((TraceSummary t) -> nanos(t.getStartTime())).reversed();
    return out.stream().sorted(order.thenComparing(TraceSummary::getTraceId)).toList();
  }

  private static long nanos(com.google.protobuf.Duration d) {
    return d.getSeconds() * 1_000_000_000L + d.getNanos();
  }

  private static long nanos(com.google.protobuf.Timestamp t) {
    return t.getSeconds() * 1_000_000_000L + t.getNanos();
  }

  private static String hex(Random random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static ByteString bytes(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  private static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
