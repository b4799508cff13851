/** GetSpanMetrics through the real server with the L1 cache: whole answers cached per tenant, bypass, errors. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.GetSpanMetricsRequest;
import com.kubetelemetry.api.v1.GetSpanMetricsResponse;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.SpanMetricsGrouping;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.kubetelemetry.traces.ShopTraces;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SpanMetricsCacheEndToEndTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory(), config -> config.withCache(
      new ServerConfig.CacheSection(true, 64L << 20, "", Duration.ofSeconds(30), Duration.ofHours(1),
          Duration.ofSeconds(30), Duration.ofMillis(50), 4)));

  /** Traces of two tenants, one every 7 s from the start of the test data, 50 and 20 of them. */
  @BeforeAll
  static void load() {
    List<ShopTraces.FixtureSpan> spans = new ArrayList<>(ShopTraces.generate(3L, CacheTestData.START, "acme", 50));
    spans.addAll(ShopTraces.generate(4L, CacheTestData.START.plusSeconds(3), "globex", 20));
    GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class)
        .export(ShopTraces.request(spans));
  }

  private static CachedCall<GetSpanMetricsResponse> ask(String tenant, boolean noCache, GetSpanMetricsRequest r) {
    return CachedCall.call(server.uri(), TracesServiceGrpc.TracesServiceBlockingStub.class, tenant, noCache,
        stub -> stub.getSpanMetrics(r));
  }

  private static GetSpanMetricsRequest completed(SpanMetricsGrouping grouping, double... quantiles) {
    GetSpanMetricsRequest.Builder r = GetSpanMetricsRequest.newBuilder().setGroupBy(grouping)
        .setTimeRange(TimeRange.newBuilder().setAbsolute(CacheTestData.absolute(CacheTestData.START,
            CacheTestData.START.plusSeconds(1200))).setStep(com.google.protobuf.Duration.newBuilder().setSeconds(60)));
    for (double q : quantiles) {
      r.addQuantiles(q);
    }
    return r.build();
  }

  private static GetSpanMetricsResponse withoutStats(GetSpanMetricsResponse r) {
    return r.toBuilder().setStats(QueryStats.getDefaultInstance()).build();
  }

  @Test
  void aRepeatedAskIsAnL1HitEqualToTheUncachedAnswer() {
    GetSpanMetricsRequest r = completed(SpanMetricsGrouping.SPAN_METRICS_GROUPING_OPERATION, 0.5, 0.9);
    CachedCall<GetSpanMetricsResponse> first = ask("acme", false, r);
    CachedCall<GetSpanMetricsResponse> second = ask("acme", false, r);
    CachedCall<GetSpanMetricsResponse> uncached = ask("acme", true, r);

    assertThat(first.cache()).isEqualTo("miss");
    assertThat(second.cache()).isEqualTo("hit-l1");
    assertThat(uncached.cache()).isEqualTo("bypass");
    assertThat(first.answer().getStats().getCached()).isFalse();
    assertThat(second.answer().getStats().getCached()).isTrue();
    assertThat(uncached.answer().getStats().getCached()).isFalse();
    assertThat(uncached.answer().getSeriesList()).isNotEmpty();
    assertThat(withoutStats(second.answer())).isEqualTo(withoutStats(uncached.answer()))
        .isEqualTo(withoutStats(first.answer()));
    // another quantile list is another answer
    CachedCall<GetSpanMetricsResponse> other = ask("acme", false,
        completed(SpanMetricsGrouping.SPAN_METRICS_GROUPING_OPERATION, 0.99));
    assertThat(other.cache()).isEqualTo("miss");
    assertThat(other.answer().getSeries(0).getTotal().getLatenciesCount()).isEqualTo(1);
  }

  @Test
  void oneTenantsCachedAnswerIsNeverServedToAnother() {
    GetSpanMetricsRequest r = completed(SpanMetricsGrouping.SPAN_METRICS_GROUPING_SERVICE);
    CachedCall<GetSpanMetricsResponse> acme = ask("acme", false, r);
    CachedCall<GetSpanMetricsResponse> globex = ask("globex", false, r);
    CachedCall<GetSpanMetricsResponse> nobody = ask("initech", false, r);

    assertThat(acme.cache()).isEqualTo("miss");
    assertThat(globex.cache()).isEqualTo("miss");
    assertThat(withoutStats(globex.answer())).isNotEqualTo(withoutStats(acme.answer()))
        .isEqualTo(withoutStats(ask("globex", true, r).answer()));
    assertThat(nobody.answer().getSeriesList()).isEmpty();
    assertThat(ask("globex", false, r).cache()).isEqualTo("hit-l1");
    assertThat(withoutStats(ask("acme", false, r).answer())).isEqualTo(withoutStats(acme.answer()));
  }

  @Test
  void aRelativeWindowEndingNowIsCachedAsGiven() {
    GetSpanMetricsRequest r = GetSpanMetricsRequest.newBuilder()
        .setTimeRange(TimeRange.newBuilder().setRelative("4h")).build();
    CachedCall<GetSpanMetricsResponse> first = ask("acme", false, r);
    CachedCall<GetSpanMetricsResponse> second = ask("acme", false, r);
    assertThat(first.cache()).isEqualTo("miss");
    assertThat(second.cache()).isEqualTo("hit-l1");
    assertThat(second.answer().getSeriesList()).isNotEmpty();
    assertThat(ask("acme", true, r).cache()).isEqualTo("bypass");
  }

  @Test
  void invalidRequestsFailAsTheyDoUncached() {
    for (GetSpanMetricsRequest bad : List.of(
        GetSpanMetricsRequest.newBuilder().addQuantiles(2).build(),
        GetSpanMetricsRequest.newBuilder().setTimeRange(TimeRange.newBuilder().setRelative("forever")).build(),
        GetSpanMetricsRequest.newBuilder().setTimeRange(TimeRange.newBuilder().setAbsolute(
            AbsoluteTimeRange.newBuilder().setStart(com.google.protobuf.Timestamp.newBuilder().setSeconds(100))
                .setEnd(com.google.protobuf.Timestamp.newBuilder().setSeconds(50)))).build())) {
      StatusRuntimeException cached = catchThrowableOfType(StatusRuntimeException.class, () -> ask("acme", false, bad));
      StatusRuntimeException uncached = catchThrowableOfType(StatusRuntimeException.class,
          () -> ask("acme", true, bad));
      assertThat(cached).as("%s", bad).isNotNull();
      assertThat(cached.getStatus().getCode()).isEqualTo(uncached.getStatus().getCode());
      assertThat(cached.getStatus().getDescription()).isEqualTo(uncached.getStatus().getDescription());
    }
  }
}
