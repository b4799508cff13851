/** QueryRange paces the statement reading the points as the cache asks, and answers the same. */
package com.kubetelemetry.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.kubetelemetry.api.v1.MetricQuery;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.QueryRangeResponse;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.TimeRange;
import com.kubetelemetry.metrics.range.MetricRangeQueries;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.QueryResult;
import com.kubetelemetry.storage.ResultStream;
import com.kubetelemetry.storage.Store;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BackgroundReadTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());

  @BeforeAll
  static void load() {
    CacheTestData.send(server.uri(), "acme", 1);
  }

  /** The real store, remembering the settings of every query it runs. */
  private record Recording(Store store, List<Map<String, String>> settings) implements Store {
    @Override
    public QueryResult query(Sql sql, String format) {
      settings.add(sql.settings());
      return store.query(sql, format);
    }

    @Override
    public ResultStream stream(Sql sql, String format) {
      settings.add(sql.settings());
      return store.stream(sql, format);
    }

    @Override
    public void execute(List<Sql> statements) {
      store.execute(statements);
    }

    @Override
    public void insert(String table, List<NativeBlock> blocks) {
      store.insert(table, blocks);
    }

    @Override
    public String engineVersion() {
      return store.engineVersion();
    }

    @Override
    public String kind() {
      return store.kind();
    }

    @Override
    public boolean isHealthy() {
      return store.isHealthy();
    }

    @Override
    public void close() {
      // The server owns the store.
    }
  }

  private static QueryRangeResponse withoutStats(QueryRangeResponse r) {
    return r.toBuilder().setInfo(r.getInfo().toBuilder().setStats(QueryStats.getDefaultInstance())).build();
  }

  @Test
  void aPacedLoadReadsOnOneEngineThreadAndAnswersTheSame() {
    Recording store = new Recording(server.backend().store(), new CopyOnWriteArrayList<>());
    MetricRangeQueries queries = new MetricRangeQueries(ReadContext.of(server.config(), store, Clock.systemUTC()));
    QueryRangeRequest request = QueryRangeRequest.newBuilder()
        .setQuery(MetricQuery.newBuilder().setMetricName("cpu.usage"))
        .setTimeRange(TimeRange.newBuilder().setAbsolute(CacheTestData.absolute(CacheTestData.START,
            CacheTestData.END)).setStep(Duration.newBuilder().setSeconds(60))).build();
    TenantId acme = new TenantId("acme");

    QueryRangeResponse foreground = queries.queryRange(acme, request);
    List<Map<String, String>> foregroundSettings = List.copyOf(store.settings());
    store.settings().clear();
    QueryRangeResponse background = queries.queryRange(acme, request,
        statement -> statement.withSetting("max_threads", "1"));

    assertThat(foreground.getSeriesCount()).isPositive();
    assertThat(withoutStats(background)).isEqualTo(withoutStats(foreground));
    assertThat(foregroundSettings).noneMatch(s -> "1".equals(s.get("max_threads")));
    // The metric lookup is cheap; the statement reading the points is the one limited.
    assertThat(store.settings()).last().satisfies(s -> assertThat(s).containsEntry("max_threads", "1"));
  }
}
