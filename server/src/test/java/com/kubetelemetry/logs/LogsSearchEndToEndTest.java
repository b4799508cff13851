/** SearchLogs and GetLogHistogram through the real server: records sent over OTLP, answers checked against Java. */
package com.kubetelemetry.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.AttributeMatcher;
import com.kubetelemetry.api.v1.AttributeTarget;
import com.kubetelemetry.api.v1.GetLogHistogramRequest;
import com.kubetelemetry.api.v1.GetLogHistogramResponse;
import com.kubetelemetry.api.v1.LogFilter;
import com.kubetelemetry.api.v1.LogHistogramBucket;
import com.kubetelemetry.api.v1.LogRecord;
import com.kubetelemetry.api.v1.LogsServiceGrpc;
import com.kubetelemetry.api.v1.MatchOperator;
import com.kubetelemetry.api.v1.PageRequest;
import com.kubetelemetry.api.v1.SearchLogsRequest;
import com.kubetelemetry.api.v1.SearchLogsResponse;
import com.kubetelemetry.api.v1.Severity;
import com.kubetelemetry.api.v1.SeverityCount;
import com.kubetelemetry.api.v1.SortOrder;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.logs.LogSeverity;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LogsSearchEndToEndTest {
  private static final long MINUTE = 60_000_000_000L;
  /** A multiple of two minutes, so the histogram's two-minute buckets line up with the test's own arithmetic. */
  private static final long NOW = System.currentTimeMillis() / 120_000 * 2 * MINUTE;
  private static final long START = NOW - 50 * MINUTE;
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final List<String> BODIES = List.of("GET /api/v1/users?id=7 took 15ms",
      "Connection-Timeout after 30s", "connection timeout", "Café crème ÉTÉ été", "50% of a_b\\c done",
      "we'ird\\body\n\n{x:String}\0 日本", "user=alice action=login", "error: disk full (ENOSPC)", "o world-x", "");

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());

  private static final List<SentLog> SENT = new ArrayList<>();

  @BeforeAll
  static void sendLogs() {
    for (int i = 0; i < 120; i++) {
      String tenant = i % 6 == 5 ? "globex" : "acme";
      // few distinct timestamps: many records share one
      long ts = START + (i % 9) * 5 * MINUTE + (i % 2 == 0 ? 0 : 7);
      SENT.add(new SentLog(tenant, ts, i % 3 == 0 ? "api" : "worker", BODIES.get(i % BODIES.size()),
          (i * 7) % 25, i % 4 == 0 ? TRACE : "", Map.of("user", i % 5 == 0 ? "alice" : "bob", "n", "" + i)));
    }
    SENT.add(new SentLog("acme", NOW - 2 * 60 * MINUTE, "api", "connection timeout", 17, "", Map.of()));
    SentLog.send(server.uri(), SENT.subList(0, 60));
    SentLog.send(server.uri(), SENT.subList(60, SENT.size()));
  }

  @Test
  void pagingThroughEveryPageGivesTheFullOrderedListInEitherOrder() {
    for (SortOrder order : List.of(SortOrder.SORT_ORDER_UNSPECIFIED, SortOrder.SORT_ORDER_ASCENDING)) {
      List<LogRecord> expected = expected("acme", s -> true, order == SortOrder.SORT_ORDER_ASCENDING);
      for (int size : new int[] {1, 7, 1000}) {
        List<LogRecord> all = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
          SearchLogsResponse page = search("acme", SearchLogsRequest.newBuilder().setOrder(order)
              .setPage(PageRequest.newBuilder().setPageSize(size).setPageToken(token)).build());
          assertThat(page.getRecordsCount()).isLessThanOrEqualTo(size);
          all.addAll(page.getRecordsList());
          token = page.getPage().getNextPageToken();
          pages++;
        } while (!token.isEmpty());
        assertThat(pages).isEqualTo(Math.ceilDiv(expected.size(), size));
        List<LogRecord> got = all.stream().map(SentLog::comparable).toList();
        assertThat(got).as("order %s, page size %d", order, size).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(got.stream().map(r -> nanos(r))).containsExactlyElementsOf(
            expected.stream().map(r -> nanos(r)).toList());
      }
    }
  }

  @Test
  void everyFilterMatchesWhatJavaComputes() {
    for (String term : List.of("timeout", "TIMEOUT", "Connection-Timeout", "id=7 took", "été", "ÉTÉ", "50%",
        "a_b\\c", "%", "{x:String}", "\n\n", "日本", "o world-", "(enospc", "absent-word")) {
      String folded = term.toLowerCase(Locale.ROOT);
      assertThat(searchAll("acme", LogFilter.newBuilder().addTerms(term).build())).as(term)
          .containsExactlyInAnyOrderElementsOf(expected("acme",
              s -> s.body().toLowerCase(Locale.ROOT).contains(folded), false));
    }
    LogFilter filter = LogFilter.newBuilder().addTerms("CONNECTION").addTerms("time")
        .setMinSeverity(Severity.SEVERITY_INFO).setServiceName("api").setTraceId(TRACE.toUpperCase(Locale.ROOT))
        .addMatchers(AttributeMatcher.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_ITEM).setKey("user")
            .setOperator(MatchOperator.MATCH_OPERATOR_IN).addValues("bob").addValues("carol"))
        .build();
    List<LogRecord> expected = expected("acme", s -> s.body().toLowerCase(Locale.ROOT).contains("connection")
        && s.body().toLowerCase(Locale.ROOT).contains("time") && s.severity() >= 9 && s.service().equals("api")
        && s.traceId().equals(TRACE) && s.attributes().get("user").equals("bob"), false);
    assertThat(expected).isNotEmpty();
    assertThat(searchAll("acme", filter)).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(searchAll("acme", LogFilter.newBuilder().setMinSeverity(Severity.SEVERITY_FATAL).build()))
        .containsExactlyInAnyOrderElementsOf(expected("acme", s -> s.severity() >= 21, false));
  }

  @Test
  void tenantsNeverSeeEachOthersRecords() {
    assertThat(searchAll("globex", LogFilter.getDefaultInstance()))
        .containsExactlyInAnyOrderElementsOf(expected("globex", s -> true, false)).hasSize(20);
    var defaultTenant = GrpcClients.newClient(server.uri(), LogsServiceGrpc.LogsServiceBlockingStub.class);
    assertThat(defaultTenant.searchLogs(SearchLogsRequest.getDefaultInstance()).getRecordsList()).isEmpty();
  }

  @Test
  void histogramCountsEveryStepBySeverityWithEmptyStepsIncluded() {
    GetLogHistogramRequest request = GetLogHistogramRequest.newBuilder()
        .setTimeRange(TimeRange.newBuilder().setAbsolute(AbsoluteTimeRange.newBuilder()
                .setStart(ProtoQueries.timestamp(NOW - 60 * MINUTE)).setEnd(ProtoQueries.timestamp(NOW)))
            .setStep(com.google.protobuf.Duration.newBuilder().setSeconds(120)))
        .setFilter(LogFilter.newBuilder().setServiceName("worker")).build();
    GetLogHistogramResponse got = stub("acme").getLogHistogram(request);
    assertThat(got.getStep().getSeconds()).isEqualTo(120);
    assertThat(got.getBucketsList()).hasSize(30);
    List<SentLog> worker = SENT.stream().filter(s -> s.tenant().equals("acme") && s.service().equals("worker")
        && s.timeNanos() >= NOW - 60 * MINUTE && s.timeNanos() < NOW).toList();
    long total = 0;
    for (int i = 0; i < 30; i++) {
      long from = NOW - 60 * MINUTE + i * 2 * MINUTE;
      LogHistogramBucket bucket = got.getBuckets(i);
      assertThat(nanos(bucket.getStartTime())).isEqualTo(from);
      List<SentLog> in = worker.stream().filter(s -> s.timeNanos() >= from && s.timeNanos() < from + 2 * MINUTE)
          .toList();
      assertThat(bucket.getTotal()).isEqualTo(in.size());
      List<SeverityCount> counts = new ArrayList<>();
      for (LogSeverity level : LogSeverity.values()) {
        long n = in.stream().filter(s -> LogSeverity.ofNumber(s.severity()) == level).count();
        if (n > 0) {
          counts.add(SeverityCount.newBuilder().setSeverity(Severity.forNumber(level.ordinal())).setCount(n)
              .build());
        }
      }
      assertThat(bucket.getCountsList()).containsExactlyElementsOf(counts);
      total += bucket.getTotal();
    }
    assertThat(total).isEqualTo(worker.size()).isPositive();
    assertThat(got.getBucketsList()).anyMatch(b -> b.getTotal() == 0);
  }

  @Test
  void explainShowsTheStatementsTheCallsRun() {
    LogsPlanner planner = server.server().reads().logs().planner();
    SearchLogsRequest request = SearchLogsRequest.newBuilder().setFilter(LogFilter.newBuilder().addTerms("x'y"))
        .build();
    List<PlannedStatement> plan = planner.plan(new TenantId("acme"), request);
    assertThat(plan).hasSize(1);
    assertThat(plan.getFirst().sql().text()).contains("positionCaseInsensitiveUTF8(Body, {p4:String})")
        .doesNotContain("x'y");
    assertThat(planner.plan(new TenantId("acme"), GetLogHistogramRequest.getDefaultInstance()).getFirst().sql()
        .text()).contains("GROUP BY Bucket, Level");
  }

  @Test
  void badInputIsInvalidArgumentNamingTheField() {
    assertInvalid(SearchLogsRequest.newBuilder().setPage(PageRequest.newBuilder().setPageToken("garbage!"))
        .build(), "page.page_token");
    String token = search("acme", SearchLogsRequest.newBuilder().setPage(PageRequest.newBuilder().setPageSize(1))
        .build()).getPage().getNextPageToken();
    assertThat(token).isNotEmpty();
    assertInvalid(SearchLogsRequest.newBuilder().setOrder(SortOrder.SORT_ORDER_ASCENDING)
        .setPage(PageRequest.newBuilder().setPageSize(1).setPageToken(token)).build(), "page.page_token");
    assertInvalid(withFilter(LogFilter.newBuilder().setTraceId("xyz")), "filter.trace_id");
    assertInvalid(withFilter(LogFilter.newBuilder().setSpanId("0123")), "filter.span_id");
    assertInvalid(withFilter(LogFilter.newBuilder().addTerms("")), "filter.terms[0]");
    assertInvalid(withFilter(LogFilter.newBuilder().addAllTerms(java.util.Collections.nCopies(21, "a"))),
        "filter.terms");
    assertInvalid(withFilter(LogFilter.newBuilder().setMinSeverityValue(42)), "filter.min_severity");
    assertInvalid(withFilter(LogFilter.newBuilder().addMatchers(AttributeMatcher.newBuilder()
        .setTarget(AttributeTarget.ATTRIBUTE_TARGET_FIELD).setKey("Timestamp").setValue("x"))),
        "filter.matchers[0].key");
    assertInvalid(SearchLogsRequest.newBuilder().setPage(PageRequest.newBuilder().setPageSize(-3)).build(),
        "page.page_size");
    assertThatThrownBy(() -> stub("acme").getLogHistogram(GetLogHistogramRequest.newBuilder()
        .setTimeRange(TimeRange.newBuilder().setStep(com.google.protobuf.Duration.newBuilder().setNanos(5)))
        .build())).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("time_range.step");
        });
  }

  private static SearchLogsRequest withFilter(LogFilter.Builder filter) {
    return SearchLogsRequest.newBuilder().setFilter(filter).build();
  }

  private static void assertInvalid(SearchLogsRequest request, String field) {
    assertThatThrownBy(() -> search("acme", request)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains(field).doesNotContain("SELECT");
    });
  }

  private static List<LogRecord> searchAll(String tenant, LogFilter filter) {
    return search(tenant, SearchLogsRequest.newBuilder().setFilter(filter)
        .setPage(PageRequest.newBuilder().setPageSize(1000)).build()).getRecordsList().stream()
        .map(SentLog::comparable).toList();
  }

  static LogsServiceGrpc.LogsServiceBlockingStub stub(String tenant) {
    return GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, tenant)
        .build(LogsServiceGrpc.LogsServiceBlockingStub.class);
  }

  private static SearchLogsResponse search(String tenant, SearchLogsRequest request) {
    return stub(tenant).searchLogs(request);
  }

  /** Java's answer: the tenant's records of the default hour passing {@code p}, ordered by time. */
  private static List<LogRecord> expected(String tenant, Predicate<SentLog> p, boolean ascending) {
    Comparator<SentLog> byTime = Comparator.comparingLong(SentLog::timeNanos);
    return SENT.stream().filter(s -> s.tenant().equals(tenant) && s.timeNanos() >= NOW - 60 * MINUTE)
        .filter(p).sorted(ascending ? byTime : byTime.reversed()).map(SentLog::expected).toList();
  }

  private static long nanos(LogRecord r) {
    return nanos(r.getTimestamp());
  }

  private static long nanos(com.google.protobuf.Timestamp t) {
    return t.getSeconds() * 1_000_000_000L + t.getNanos();
  }

}
