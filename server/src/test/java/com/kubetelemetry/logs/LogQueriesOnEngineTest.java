/** Compiled log searches, histograms and tail polls on the real embedded engine, checked against Java's answers. */
package com.kubetelemetry.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.AttributeMatcher.Op;
import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRange;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.query.logs.LogCursor;
import com.kubetelemetry.query.logs.LogFilter;
import com.kubetelemetry.query.logs.LogHistogram;
import com.kubetelemetry.query.logs.LogHistogramBuckets;
import com.kubetelemetry.query.logs.LogHistogramCompiler;
import com.kubetelemetry.query.logs.LogRecordColumns;
import com.kubetelemetry.query.logs.LogSearch;
import com.kubetelemetry.query.logs.LogSearchCompiler;
import com.kubetelemetry.query.logs.LogSeverity;
import com.kubetelemetry.query.logs.LogTailCompiler;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import com.kubetelemetry.storage.schema.SchemaMigrator;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogQueriesOnEngineTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final SchemaOptions SCHEMA = new SchemaOptions("log_queries", 0, 0, 0);
  private static final TenantId ACME = new TenantId("acme");
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> BODIES = List.of("GET /api/v1/users?id=7 took 15ms", "Connection-Timeout after 30s",
      "connection timeout", "Café crème ÉTÉ été", "50% of a_b\\c done", "we'ird\\body\n\n{x:String}\0 日本",
      "user=alice action=login", "error: disk full (ENOSPC)", "o world-x", "");

  /** One stored record as the test knows it. */
  record Sent(String tenant, Instant ts, String body, int severity, String service, String traceId,
      Map<String, String> attributes) {}

  private final List<Sent> sent = new ArrayList<>();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final LogSearchCompiler search = new LogSearchCompiler(SCHEMA, TimeRangeResolver.withDefaults(clock),
      QueryLimits.defaults());
  private final LogHistogramCompiler histogram = new LogHistogramCompiler(SCHEMA,
      TimeRangeResolver.withDefaults(clock), QueryLimits.defaults(), 11_000);
  private final LogTailCompiler tail = new LogTailCompiler(SCHEMA, QueryLimits.defaults());
  private EmbeddedStore store;

  @BeforeAll
  void open(@TempDir Path dir) {
    store = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "default"));
    new SchemaMigrator(store, SCHEMA).migrate();
    for (int i = 0; i < 90; i++) {
      Instant ts = NOW.minusSeconds(60L * (i % 7)).minusNanos(i % 3 == 0 ? 0 : 1);
      String body = BODIES.get(i % BODIES.size());
      int severity = (i * 5) % 25;
      String service = i % 2 == 0 ? "api" : "worker";
      String trace = i % 4 == 0 ? "0af7651916cd43dd8448eb211c80319c" : "";
      Map<String, String> attrs = i % 3 == 0 ? Map.of("user", "alice") : Map.of("user", "bob");
      // records 0..9 and 70..79 pair up as exact duplicates: same instant, body and every other field
      if (i >= 70 && i < 80) {
        Sent twin = sent.get(i - 70);
        insert(twin);
        continue;
      }
      insert(new Sent("acme", ts, body, severity, service, trace, attrs));
    }
    insert(new Sent("other", NOW.minusSeconds(5), "connection timeout", 17, "api", "", Map.of()));
    insert(new Sent("acme", NOW.minus(Duration.ofHours(2)), "connection timeout", 17, "api", "", Map.of()));
  }

  @AfterAll
  void close() {
    store.close();
  }

  @Test
  void pagingInEitherOrderReturnsEveryRecordOnceEvenWithEqualTimestampsAndDuplicates() {
    for (boolean ascending : new boolean[] {false, true}) {
      List<JsonNode> all = page(LogSearch.of(LogFilter.all()).withAscending(ascending).withPageSize(1000)).rows;
      List<Sent> expected = expected(s -> true);
      assertThat(all).hasSize(expected.size());
      assertThat(bodies(all)).containsExactlyInAnyOrderElementsOf(expected.stream().map(Sent::body).toList());
      Comparator<Long> order = ascending ? Comparator.naturalOrder() : Comparator.reverseOrder();
      assertThat(all.stream().map(r -> r.get(LogRecordColumns.TIMESTAMP_NANOS).asLong()).toList())
          .isSortedAccordingTo(order);
      for (int size : new int[] {1, 2, 3, 7, 50}) {
        List<JsonNode> paged = new ArrayList<>();
        LogCursor cursor = null;
        int pages = 0;
        do {
          Page p = page(LogSearch.of(LogFilter.all()).withAscending(ascending).withPageSize(size)
              .withCursor(cursor));
          assertThat(p.rows.size()).isLessThanOrEqualTo(size);
          paged.addAll(p.rows);
          cursor = p.next;
          pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(Math.max(1, Math.ceilDiv(expected.size(), size)));
        assertThat(keys(paged)).as("page size %d ascending %s", size, ascending).isEqualTo(keys(all));
      }
    }
  }

  @Test
  void termsMatchAsCaseInsensitiveSubstringsIncludingSeparatorsAndNonAscii() {
    for (String term : List.of("timeout", "TIMEOUT", "Connection-Timeout", "id=7 took", "/api/v1/", "été",
        "ÉTÉ", "café CRÈME", "50%", "a_b\\c", "%", "_", "\\", "{x:String}", "\n\n", "日本", "o world-", "world-x",
        "rld-", "ENOSPC)", "(enospc", "nothing-like-this")) {
      String folded = term.toLowerCase(Locale.ROOT);
      List<Sent> expected = expected(s -> s.body().toLowerCase(Locale.ROOT).contains(folded));
      List<JsonNode> rows = page(LogSearch.of(LogFilter.all().withTerms(term)).withPageSize(1000)).rows;
      assertThat(bodies(rows)).as(term).containsExactlyInAnyOrderElementsOf(
          expected.stream().map(Sent::body).toList());
    }
    List<JsonNode> both = page(LogSearch.of(LogFilter.all().withTerms("connection", "TIME"))
        .withPageSize(1000)).rows;
    assertThat(bodies(both)).hasSize(expected(s -> s.body().toLowerCase(Locale.ROOT).contains("connection")
        && s.body().toLowerCase(Locale.ROOT).contains("time")).size()).isNotEmpty();
  }

  @Test
  void otherConditionsMatchWhatJavaComputes() {
    LogFilter filter = LogFilter.all().withMinSeverity(LogSeverity.WARN).withServiceName("api")
        .withTraceId("0AF7651916CD43DD8448EB211C80319C")
        .withMatchers(List.of(AttributeMatcher.of(Target.ITEM, "user", Op.EQ, "alice")));
    List<Sent> expected = expected(s -> s.severity() >= 13 && s.service().equals("api")
        && !s.traceId().isEmpty() && s.attributes().get("user").equals("alice"));
    assertThat(expected).isNotEmpty();
    assertThat(bodies(page(LogSearch.of(filter).withPageSize(1000)).rows))
        .containsExactlyInAnyOrderElementsOf(expected.stream().map(Sent::body).toList());
    assertThat(page(LogSearch.of(LogFilter.all()).withTimeRange(TimeRange.last("3h")).withPageSize(1000)).rows)
        .hasSize(expected(s -> true).size() + 1);
    List<JsonNode> other = run(search.compile(new TenantId("other"), LogSearch.of(LogFilter.all())).sql());
    assertThat(bodies(other)).containsExactly("connection timeout");
  }

  @Test
  void histogramCountsPerStepAndLevel() {
    LogHistogramCompiler.Statement st = histogram.compile(ACME, new LogHistogram(TimeRange.last("10m"),
        Duration.ofMinutes(1), LogFilter.all().withServiceName("worker")));
    List<LogHistogramBuckets.Row> rows = run(st.sql()).stream().map(r -> new LogHistogramBuckets.Row(
        r.get(0).asLong(), r.get(1).asInt(), r.get(2).asLong())).toList();
    List<LogHistogramBuckets.Bucket> buckets = LogHistogramBuckets.fill(st.grid(), rows);
    assertThat(buckets).hasSize(10);
    List<Sent> worker = expected(s -> s.service().equals("worker") && !s.ts().isBefore(NOW.minusSeconds(600)));
    for (LogHistogramBuckets.Bucket b : buckets) {
      Instant end = b.start().plus(st.grid().step());
      List<Sent> in = worker.stream().filter(s -> !s.ts().isBefore(b.start()) && s.ts().isBefore(end)).toList();
      assertThat(b.total()).as(b.start().toString()).isEqualTo(in.size());
      for (LogSeverity level : LogSeverity.values()) {
        assertThat(b.counts()[level.ordinal()]).isEqualTo(
            in.stream().filter(s -> LogSeverity.ofNumber(s.severity()) == level).count());
      }
    }
    assertThat(buckets.stream().mapToLong(LogHistogramBuckets.Bucket::total).sum()).isEqualTo(worker.size());
  }

  @Test
  void tailPollsReturnTheNewestAfterThePositionAndCountTheRest() {
    Instant start = NOW.minusSeconds(121);
    List<Sent> expected = sent.stream().filter(s -> s.tenant().equals("acme") && !s.ts().isBefore(start)
        && s.ts().isBefore(NOW.plusSeconds(1))).toList();
    List<JsonNode> first = run(tail.compile(ACME, LogFilter.all(), null, start, NOW.plusSeconds(1), 4));
    assertThat(first).hasSize(4);
    assertThat(first.getFirst().get(LogRecordColumns.COUNT).asLong()).isEqualTo(expected.size());
    assertThat(first.getFirst().get(LogRecordColumns.TIMESTAMP_NANOS).asLong())
        .isEqualTo(NOW.getEpochSecond() * 1_000_000_000L);
    JsonNode newest = first.getFirst();
    LogCursor after = new LogCursor(newest.get(LogRecordColumns.TIMESTAMP_NANOS).asLong(),
        new BigInteger(newest.get(LogRecordColumns.ROW_HASH).asText()), 0);
    assertThat(run(tail.compile(ACME, LogFilter.all(), after, start, NOW.plusSeconds(1), 10))).isEmpty();
    insert(new Sent("acme", NOW.plusMillis(500), "late arrival", 9, "api", "", Map.of()));
    List<JsonNode> next = run(tail.compile(ACME, LogFilter.all(), after, start, NOW.plusSeconds(1), 10));
    assertThat(bodies(next)).containsExactly("late arrival");
    assertThat(run(tail.compile(ACME, LogFilter.all(), after, start, NOW.plusMillis(500), 10))).isEmpty();
    store.execute(List.of(Sql.of("ALTER TABLE " + SCHEMA.qualified("otel_logs")
        + " DELETE WHERE Body = 'late arrival' SETTINGS mutations_sync = 1")));
  }

  private record Page(List<JsonNode> rows, LogCursor next) {}

  private Page page(LogSearch request) {
    LogSearchCompiler.Statement st = search.compile(ACME, request);
    List<JsonNode> rows = run(st.sql());
    if (rows.size() <= st.pageSize()) {
      return new Page(rows, null);
    }
    List<JsonNode> page = rows.subList(0, st.pageSize());
    return new Page(page, LogCursor.after(request.cursor(), keyList(page)));
  }

  private static List<LogCursor.Key> keyList(List<JsonNode> rows) {
    return rows.stream().map(r -> new LogCursor.Key(r.get(LogRecordColumns.TIMESTAMP_NANOS).asLong(),
        new BigInteger(r.get(LogRecordColumns.ROW_HASH).asText()))).toList();
  }

  private static List<String> keys(List<JsonNode> rows) {
    return keyList(rows).stream().map(k -> k.timestampNanos() + "/" + k.rowHash()).toList();
  }

  private static List<String> bodies(List<JsonNode> rows) {
    return rows.stream().map(r -> r.get(LogRecordColumns.BODY).asText()).toList();
  }

  private List<Sent> expected(Predicate<Sent> p) {
    return sent.stream().filter(s -> s.tenant().equals("acme") && !s.ts().isBefore(NOW.minusSeconds(3600))
        && s.ts().isBefore(NOW)).filter(p).toList();
  }

  private List<JsonNode> run(Sql sql) {
    String text = store.query(sql, "JSONCompactEachRow").text();
    return text.lines().map(line -> {
      try {
        return JSON.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
  }

  private void insert(Sent s) {
    sent.add(s);
    store.execute(List.of(Sql.of("INSERT INTO " + SCHEMA.qualified("otel_logs")
            + " (TenantId, Timestamp, Body, SeverityNumber, ServiceName, TraceId, LogAttributes)"
            + " SELECT {tenant:String}, {ts:DateTime64(9)}, {body:String}, {severity:UInt8}, {service:String},"
            + " {trace:String}, {attributes:Map(String, String)}",
        new Param("tenant", "String", s.tenant()), new Param("ts", "DateTime64(9)", s.ts()),
        new Param("body", "String", s.body()), new Param("severity", "UInt8", s.severity()),
        new Param("service", "String", s.service()), new Param("trace", "String", s.traceId()),
        new Param("attributes", "Map(String, String)", s.attributes()))));
  }
}
