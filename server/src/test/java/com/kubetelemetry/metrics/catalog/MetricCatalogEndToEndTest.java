/** The catalog listings through the real server: metrics sent over OTLP, answers checked against Java's own. */
package com.kubetelemetry.metrics.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.AggregationTemporality;
import com.kubetelemetry.api.v1.AttributeKeyCount;
import com.kubetelemetry.api.v1.AttributeMatcher;
import com.kubetelemetry.api.v1.AttributeTarget;
import com.kubetelemetry.api.v1.AttributeValueCount;
import com.kubetelemetry.api.v1.ListAttributeKeysRequest;
import com.kubetelemetry.api.v1.ListAttributeValuesRequest;
import com.kubetelemetry.api.v1.ListMetricsRequest;
import com.kubetelemetry.api.v1.ListMetricsResponse;
import com.kubetelemetry.api.v1.MatchOperator;
import com.kubetelemetry.api.v1.MetricDescriptor;
import com.kubetelemetry.api.v1.MetricType;
import com.kubetelemetry.api.v1.MetricsServiceGrpc;
import com.kubetelemetry.api.v1.PageRequest;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.metrics.MetricsGrpcService;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.kubetelemetry.sql.Sql;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricCatalogEndToEndTest {
  private static final long MINUTE = 60_000_000_000L;
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;
  private static final String LONG_VALUE = "v".repeat(300);

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());

  /** A metric as the test emits it: name, API type, unit, description, OTLP temporality, monotonic. */
  record Spec(String name, int type, String unit, String description, int temporality, boolean monotonic) {}

  private static final List<Spec> ACME = List.of(
      new Spec("memory.used", 1, "By", "memory in use", 0, false),
      new Spec("http.requests", 2, "{request}", "requests served", 2, true),
      new Spec("http.requests", 1, "{request}", "requests as a gauge", 0, false),
      new Spec("queue.depth", 2, "{item}", "items waiting", 1, false),
      new Spec("http.duration", 3, "s", "request duration", 1, false),
      new Spec("rpc.size", 4, "By", "payload size", 2, false),
      new Spec("gc.pause", 5, "ms", "gc pauses", 0, false));
  private static final List<String> SERVICES = List.of("frontend", "checkout", "cart");
  private static final List<SentMetrics> SENT = new ArrayList<>();

  @BeforeAll
  static void sendMetrics() {
    Random random = new Random(7);
    for (int i = 0; i < 240; i++) {
      Spec spec = ACME.get(random.nextInt(ACME.size()));
      String service = SERVICES.get(random.nextInt(SERVICES.size()));
      Map<String, String> point = new TreeMap<>();
      if (spec.name().startsWith("http.")) {
        point.put("http.route", "/" + (char) ('a' + random.nextInt(4)));
        point.put("http.status_code", random.nextBoolean() ? "200" : "500");
      } else {
        point.put("pool", random.nextBoolean() ? "heap" : "direct");
      }
      if (random.nextInt(10) == 0) {
        point.put("long.value", LONG_VALUE);
      }
      // Descriptions change over time: the catalog answers the one emitted last.
      String description = spec.description() + (i < 120 ? "" : " (v2)");
      SENT.add(new SentMetrics("acme", spec.name(), spec.type(), spec.unit(), description, spec.temporality(),
          spec.monotonic(), service, Map.of("k8s.pod.name", service + "-" + random.nextInt(3),
              "host.name", "node-" + random.nextInt(2)), "lib-" + random.nextInt(2),
          Map.of("lib.tier", random.nextBoolean() ? "core" : "edge"), point, NOW - 50 * MINUTE + i * 12_000_000_000L
              + random.nextInt(1000)));
    }
    for (int i = 0; i < 10; i++) {
      SENT.add(new SentMetrics("acme", "old.metric", 1, "1", "kept from before", 0, false, "batch",
          Map.of(), "lib-0", Map.of(), Map.of("job", "j" + i), NOW - 180 * MINUTE + i));
    }
    for (int i = 0; i < 30; i++) {
      boolean own = i % 2 == 0;
      SENT.add(new SentMetrics("globex", own ? "globex.only" : "memory.used", own ? 2 : 1, "By", "globex", own ? 1 : 0,
          own, "vault", Map.of("k8s.pod.name", "vault-" + i % 4), "lib-g", Map.of(),
          Map.of("secret.key", "s" + i % 5), NOW - 40 * MINUTE + i * MINUTE));
    }
    for (int i = 0; i < 12; i++) {
      SENT.add(new SentMetrics("initech", "initech.metric", 1 + i % 5, "1", "initech", i % 5 == 1 ? 2 : 0,
          false, "tps", Map.of(), "lib-i", Map.of(), Map.of("tier", "t" + i % 3), NOW - 30 * MINUTE + i));
    }
    var otlp = GrpcClients.newClient(server.uri(),
        io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc.MetricsServiceBlockingStub.class);
    for (int from = 0; from < SENT.size(); from += 50) {
      otlp.export(SentMetrics.export(SENT.subList(from, Math.min(SENT.size(), from + 50))));
    }
  }

  static MetricsServiceGrpc.MetricsServiceBlockingStub stub(String tenant) {
    return GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, tenant)
        .build(MetricsServiceGrpc.MetricsServiceBlockingStub.class);
  }

  // ---- expected answers, computed from SENT ----

  static List<MetricDescriptor> expectedMetrics(String tenant, long start, long end, Predicate<SentMetrics> filter) {
    Map<List<Object>, List<SentMetrics>> groups = new TreeMap<>(Comparator
        .comparing((List<Object> k) -> (String) k.get(0)).thenComparing(k -> (Integer) k.get(1)));
    SENT.stream().filter(p -> p.of(tenant) && p.inRange(start, end))
        .forEach(p -> groups.computeIfAbsent(List.of(p.metric(), p.type()), k -> new ArrayList<>()).add(p));
    List<MetricDescriptor> out = new ArrayList<>();
    groups.forEach((key, points) -> {
      if (points.stream().noneMatch(filter)) {
        return;
      }
      SentMetrics last = points.stream().max(Comparator.comparingLong(SentMetrics::timeNanos)).orElseThrow();
      out.add(MetricDescriptor.newBuilder().setName(last.metric()).setType(MetricType.forNumber(last.type()))
          .setUnit(last.unit()).setDescription(last.description())
          .setTemporality(AggregationTemporality.forNumber(last.temporality()))
          .setMonotonic(last.monotonic())
          .addAllServiceNames(points.stream().map(SentMetrics::service).distinct().sorted().toList())
          .setLastSeen(timestamp(last.timeNanos())).build());
    });
    return out;
  }

  /** key (or value of {@code key}) -> series carrying it, most series first, then by text. */
  static List<Map.Entry<String, Integer>> expectedCounts(String tenant, String source, String metric, String key,
      Predicate<SentMetrics> filter) {
    Map<String, Set<List<Object>>> series = new HashMap<>();
    SENT.stream().filter(p -> p.of(tenant) && p.inRange(NOW - 60 * MINUTE, NOW) && filter.test(p))
        .filter(p -> metric == null || p.metric().equals(metric))
        .forEach(p -> p.attributes(source).forEach((k, v) -> {
          String entry = key == null ? k : (k.equals(key) && v.length() <= 256 ? v : null);
          if (entry != null) {
            series.computeIfAbsent(entry, e -> new HashSet<>()).add(p.series());
          }
        }));
    return series.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue().size()))
        .sorted(Comparator.comparing((Map.Entry<String, Integer> e) -> -e.getValue())
            .thenComparing(Map.Entry::getKey))
        .toList();
  }

  static List<Map.Entry<String, Integer>> keys(List<AttributeKeyCount> got) {
    return got.stream().map(k -> Map.entry(k.getKey(), (int) k.getCount())).toList();
  }

  static List<Map.Entry<String, Integer>> values(List<AttributeValueCount> got) {
    return got.stream().map(v -> Map.entry(v.getValue(), (int) v.getCount())).toList();
  }

  static Timestamp timestamp(long nanos) {
    return Timestamp.newBuilder().setSeconds(Math.floorDiv(nanos, 1_000_000_000L))
        .setNanos((int) Math.floorMod(nanos, 1_000_000_000L)).build();
  }

  static TimeRange absolute(long start, long end) {
    return TimeRange.newBuilder().setAbsolute(AbsoluteTimeRange.newBuilder().setStart(timestamp(start))
        .setEnd(timestamp(end))).build();
  }

  // ---- ListMetrics ----

  @Test
  void listsEveryMetricOfTheLastHourOncePerType() {
    ListMetricsResponse got = stub("acme").listMetrics(ListMetricsRequest.getDefaultInstance());
    List<MetricDescriptor> expected = expectedMetrics("acme", NOW - 60 * MINUTE, NOW + MINUTE, p -> true);
    assertThat(got.getMetricsList()).containsExactlyElementsOf(expected);
    assertThat(expected).hasSize(ACME.size());
    assertThat(got.getMetricsList()).filteredOn(m -> m.getName().equals("http.requests"))
        .extracting(MetricDescriptor::getType).containsExactly(MetricType.METRIC_TYPE_GAUGE, MetricType.METRIC_TYPE_SUM);
    assertThat(got.getMetricsList()).extracting(MetricDescriptor::getDescription).allMatch(d -> d.endsWith("(v2)"));
    assertThat(got.getPage().getNextPageToken()).isEmpty();
  }

  @Test
  void filtersByPrefixTypeAndServiceAndTimeRange() {
    var acme = stub("acme");
    assertThat(acme.listMetrics(ListMetricsRequest.newBuilder().setNamePrefix("http.").build()).getMetricsList())
        .containsExactlyElementsOf(expectedMetrics("acme", NOW - 60 * MINUTE, NOW + MINUTE,
            p -> p.metric().startsWith("http.")).stream().filter(m -> m.getName().startsWith("http.")).toList())
        .hasSize(3);
    assertThat(acme.listMetrics(ListMetricsRequest.newBuilder().setType(MetricType.METRIC_TYPE_SUM).build())
        .getMetricsList()).extracting(MetricDescriptor::getName).containsExactly("http.requests", "queue.depth");
    List<MetricDescriptor> checkout = acme.listMetrics(ListMetricsRequest.newBuilder().setServiceName("checkout")
        .build()).getMetricsList();
    assertThat(checkout).containsExactlyElementsOf(expectedMetrics("acme", NOW - 60 * MINUTE, NOW + MINUTE,
        p -> p.service().equals("checkout")));
    assertThat(checkout).allSatisfy(m -> assertThat(m.getServiceNamesList()).contains("checkout"));
    List<MetricDescriptor> old = acme.listMetrics(ListMetricsRequest.newBuilder()
        .setTimeRange(absolute(NOW - 240 * MINUTE, NOW - 120 * MINUTE)).build()).getMetricsList();
    assertThat(old).containsExactlyElementsOf(expectedMetrics("acme", NOW - 240 * MINUTE, NOW - 120 * MINUTE,
        p -> true)).extracting(MetricDescriptor::getName).containsExactly("old.metric");
  }

  @Test
  void pagesContinueWhereThePreviousEndedAndTokensAreBoundToTheRequest() {
    var acme = stub("acme");
    List<MetricDescriptor> all = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListMetricsResponse page = acme.listMetrics(ListMetricsRequest.newBuilder()
          .setPage(PageRequest.newBuilder().setPageSize(3).setPageToken(token)).build());
      assertThat(page.getMetricsCount()).isBetween(1, 3);
      all.addAll(page.getMetricsList());
      token = page.getPage().getNextPageToken();
      pages++;
    } while (!token.isEmpty());
    assertThat(pages).isEqualTo(3);
    assertThat(all).containsExactlyElementsOf(expectedMetrics("acme", NOW - 60 * MINUTE, NOW + MINUTE, p -> true));

    String first = acme.listMetrics(ListMetricsRequest.newBuilder().setPage(PageRequest.newBuilder().setPageSize(3))
        .build()).getPage().getNextPageToken();
    assertThatThrownBy(() -> acme.listMetrics(ListMetricsRequest.newBuilder().setNamePrefix("h")
        .setPage(PageRequest.newBuilder().setPageSize(3).setPageToken(first)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("page.page_token");
        });
  }

  // ---- ListAttributeKeys / ListAttributeValues ----

  @Test
  void keysOfEverySourceCountTheSeriesCarryingThem() {
    var acme = stub("acme");
    for (var target : Map.of(AttributeTarget.ATTRIBUTE_TARGET_RESOURCE, "resource",
        AttributeTarget.ATTRIBUTE_TARGET_SCOPE, "scope", AttributeTarget.ATTRIBUTE_TARGET_ITEM, "point").entrySet()) {
      var got = acme.listAttributeKeys(ListAttributeKeysRequest.newBuilder().setTarget(target.getKey()).build());
      assertThat(keys(got.getKeysList())).as(target.getValue())
          .containsExactlyElementsOf(expectedCounts("acme", target.getValue(), null, null, p -> true));
      assertThat(got.getKeysList()).allSatisfy(k -> assertThat(k.getTarget()).isEqualTo(target.getKey()));
      assertThat(got.getTruncated()).isFalse();
    }
    var point = acme.listAttributeKeys(ListAttributeKeysRequest.getDefaultInstance());
    assertThat(point.getKeysList()).extracting(AttributeKeyCount::getKey).contains("long.value", "pool");
    assertThat(point.getKeysList()).allSatisfy(k -> assertThat(k.getTarget())
        .isEqualTo(AttributeTarget.ATTRIBUTE_TARGET_ITEM));
  }

  @Test
  void keysOfOneMetricWithAPrefixAndALimit() {
    var acme = stub("acme");
    var http = acme.listAttributeKeys(ListAttributeKeysRequest.newBuilder().setMetricName("http.requests")
        .setPrefix("http.").build());
    assertThat(keys(http.getKeysList())).containsExactlyElementsOf(expectedCounts("acme", "point", "http.requests",
        null, p -> true).stream().filter(e -> e.getKey().startsWith("http.")).toList()).hasSize(2);
    var limited = acme.listAttributeKeys(ListAttributeKeysRequest.newBuilder()
        .setTarget(AttributeTarget.ATTRIBUTE_TARGET_RESOURCE).setLimit(2).build());
    assertThat(limited.getTruncated()).isTrue();
    assertThat(keys(limited.getKeysList())).containsExactlyElementsOf(
        expectedCounts("acme", "resource", null, null, p -> true).subList(0, 2));
  }

  @Test
  void valuesOfAKeyWithPrefixLimitAndTheLongValueLeftOut() {
    var acme = stub("acme");
    var pods = acme.listAttributeValues(ListAttributeValuesRequest.newBuilder()
        .setTarget(AttributeTarget.ATTRIBUTE_TARGET_RESOURCE).setKey("k8s.pod.name").build());
    assertThat(values(pods.getValuesList())).containsExactlyElementsOf(
        expectedCounts("acme", "resource", null, "k8s.pod.name", p -> true)).hasSize(9);
    var prefixed = acme.listAttributeValues(ListAttributeValuesRequest.newBuilder()
        .setTarget(AttributeTarget.ATTRIBUTE_TARGET_RESOURCE).setKey("k8s.pod.name").setPrefix("cart-").setLimit(2)
        .build());
    assertThat(prefixed.getTruncated()).isTrue();
    assertThat(values(prefixed.getValuesList())).containsExactlyElementsOf(expectedCounts("acme", "resource", null,
        "k8s.pod.name", p -> true).stream().filter(e -> e.getKey().startsWith("cart-")).toList().subList(0, 2));
    var routes = acme.listAttributeValues(ListAttributeValuesRequest.newBuilder().setMetricName("http.duration")
        .setKey("http.route").build());
    assertThat(values(routes.getValuesList())).containsExactlyElementsOf(
        expectedCounts("acme", "point", "http.duration", "http.route", p -> true));
    var longValues = acme.listAttributeValues(ListAttributeValuesRequest.newBuilder().setKey("long.value").build());
    assertThat(longValues.getValuesList()).isEmpty();
  }

  @Test
  void valuesNarrowedByMatchersReadThePoints() {
    var got = stub("acme").listAttributeValues(ListAttributeValuesRequest.newBuilder()
        .setTarget(AttributeTarget.ATTRIBUTE_TARGET_RESOURCE).setKey("k8s.pod.name")
        .addMatchers(AttributeMatcher.newBuilder().setTarget(AttributeTarget.ATTRIBUTE_TARGET_RESOURCE)
            .setKey("service.name").setOperator(MatchOperator.MATCH_OPERATOR_EQUAL).setValue("checkout"))
        .build());
    assertThat(values(got.getValuesList())).containsExactlyElementsOf(expectedCounts("acme", "resource", null,
        "k8s.pod.name", p -> p.service().equals("checkout"))).hasSize(3);
  }

  // ---- tenants, the catalog itself, errors ----

  @Test
  void tenantsNeverSeeEachOthersMetricsOrAttributes() {
    assertThat(stub("globex").listMetrics(ListMetricsRequest.getDefaultInstance()).getMetricsList())
        .containsExactlyElementsOf(expectedMetrics("globex", NOW - 60 * MINUTE, NOW + MINUTE, p -> true))
        .extracting(MetricDescriptor::getName).containsExactly("globex.only", "memory.used");
    assertThat(keys(stub("globex").listAttributeKeys(ListAttributeKeysRequest.getDefaultInstance()).getKeysList()))
        .containsExactlyElementsOf(expectedCounts("globex", "point", null, null, p -> true));
    var acme = stub("acme");
    assertThat(acme.listAttributeKeys(ListAttributeKeysRequest.newBuilder().setLimit(1000).build()).getKeysList())
        .extracting(AttributeKeyCount::getKey).doesNotContain("secret.key");
    assertThat(acme.listAttributeValues(ListAttributeValuesRequest.newBuilder().setKey("secret.key").build())
        .getValuesList()).isEmpty();
    var memory = acme.listMetrics(ListMetricsRequest.newBuilder().setNamePrefix("memory.").build()).getMetrics(0);
    assertThat(memory.getServiceNamesList()).doesNotContain("vault");
    var anonymous = GrpcClients.newClient(server.uri(), MetricsServiceGrpc.MetricsServiceBlockingStub.class);
    assertThat(anonymous.listMetrics(ListMetricsRequest.getDefaultInstance()).getMetricsList()).isEmpty();
  }

  @Test
  void answersComeFromTheCatalogEvenAfterThePointsAreGone() {
    String database = server.config().storage().database();
    for (String table : List.of("gauge", "sum", "histogram", "exp_histogram", "summary")) {
      server.backend().store().execute(List.of(Sql.of("DELETE FROM `" + database + "`.`otel_metrics_" + table
          + "` WHERE TenantId = 'initech'")));
      assertThat(server.backend().store().query(Sql.of("SELECT count() FROM `" + database + "`.`otel_metrics_"
          + table + "` WHERE TenantId = 'initech'"), "TSV").text().strip()).isEqualTo("0");
    }
    var initech = stub("initech");
    assertThat(initech.listMetrics(ListMetricsRequest.getDefaultInstance()).getMetricsList())
        .containsExactlyElementsOf(expectedMetrics("initech", NOW - 60 * MINUTE, NOW + MINUTE, p -> true))
        .hasSize(5);
    assertThat(keys(initech.listAttributeKeys(ListAttributeKeysRequest.getDefaultInstance()).getKeysList()))
        .containsExactlyElementsOf(expectedCounts("initech", "point", null, null, p -> true))
        .containsExactly(Map.entry("tier", 3));
    assertThat(values(initech.listAttributeValues(ListAttributeValuesRequest.newBuilder().setKey("tier").build())
        .getValuesList())).containsExactlyElementsOf(expectedCounts("initech", "point", null, "tier", p -> true));

    MetricCatalog catalog = new MetricsGrpcService(ReadContext.of(server.config(), server.backend().store(),
        Clock.systemUTC())).catalog();
    TenantId tenant = new TenantId("initech");
    List<String> plans = List.of(
        catalog.planListMetrics(tenant, ListMetricsRequest.getDefaultInstance()).getFirst().sql().text(),
        catalog.planListAttributeKeys(tenant, ListAttributeKeysRequest.getDefaultInstance()).getFirst().sql().text(),
        catalog.planListAttributeValues(tenant, ListAttributeValuesRequest.newBuilder().setKey("tier").build())
            .getFirst().sql().text());
    assertThat(plans).allSatisfy(text -> assertThat(text).containsPattern("_catalog`")
        .doesNotContain("otel_metrics_"));
  }

  @Test
  void hostileTextIsOnlyEverAValue() {
    var acme = stub("acme");
    for (String hostile : List.of("'", "\\", "{p0:String}", "a\n\nSELECT 1", "') OR 1=1 --", "\0", "😀", "%_")) {
      assertThat(acme.listMetrics(ListMetricsRequest.newBuilder().setNamePrefix(hostile).setServiceName(hostile)
          .build()).getMetricsList()).isEmpty();
      assertThat(acme.listAttributeKeys(ListAttributeKeysRequest.newBuilder().setMetricName(hostile)
          .setPrefix(hostile).build()).getKeysList()).isEmpty();
      assertThat(acme.listAttributeValues(ListAttributeValuesRequest.newBuilder().setKey(hostile).setPrefix(hostile)
          .build()).getValuesList()).isEmpty();
    }
  }

  @Test
  void badRequestsAreInvalidArgumentsNamingTheField() {
    var acme = stub("acme");
    assertInvalid(() -> acme.listAttributeValues(ListAttributeValuesRequest.getDefaultInstance()), "key");
    assertInvalid(() -> acme.listAttributeKeys(ListAttributeKeysRequest.newBuilder()
        .setTarget(AttributeTarget.ATTRIBUTE_TARGET_FIELD).build()), "FIELD");
    assertInvalid(() -> acme.listAttributeKeys(ListAttributeKeysRequest.newBuilder().setLimit(-1).build()), "limit");
    assertInvalid(() -> acme.listMetrics(ListMetricsRequest.newBuilder().setTypeValue(9).build()), "type");
    assertInvalid(() -> acme.listMetrics(ListMetricsRequest.newBuilder()
        .setTimeRange(TimeRange.newBuilder().setRelative("soon")).build()), "relative");
    assertInvalid(() -> acme.listMetrics(ListMetricsRequest.newBuilder()
        .setPage(PageRequest.newBuilder().setPageToken("garbage")).build()), "page.page_token");
  }

  private static void assertInvalid(Runnable call, String mentioned) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains(mentioned);
    });
  }

  @Test
  void expectedDataCoversWhatTheTestsNeed() {
    TreeSet<Integer> types = new TreeSet<>();
    SENT.stream().filter(p -> p.of("acme")).forEach(p -> types.add(p.type()));
    assertThat(types).containsExactly(1, 2, 3, 4, 5);
    assertThat(SENT).anySatisfy(p -> assertThat(p.point()).containsEntry("long.value", LONG_VALUE));
  }
}
