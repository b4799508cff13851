/** TailLogs through the real server: live records, backlog, rate limit, tenants, cancel and errors. */
package com.kubetelemetry.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.api.v1.LogFilter;
import com.kubetelemetry.api.v1.LogRecord;
import com.kubetelemetry.api.v1.LogsServiceGrpc;
import com.kubetelemetry.api.v1.TailLogsRequest;
import com.kubetelemetry.api.v1.TailLogsResponse;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.server.RecordedStream;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogsTailEndToEndTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());

  /** One open tail as the client sees it: batches in arrival order, then the end of the stream. */
  static final class Tail extends RecordedStream<TailLogsRequest, TailLogsResponse> {
    /** Batches until {@code count} records arrived; returns the records and the dropped total. */
    List<LogRecord> records(int count, long[] dropped) throws InterruptedException {
      List<LogRecord> out = new ArrayList<>();
      while (out.size() < count) {
        TailLogsResponse r = next();
        out.addAll(r.getRecordsList());
        if (dropped != null) {
          dropped[0] += r.getDroppedCount();
        }
      }
      return out;
    }
  }

  static Tail open(String tenant, TailLogsRequest request) throws InterruptedException {
    Tail tail = new Tail();
    GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, tenant)
        .build(LogsServiceGrpc.LogsServiceStub.class).tailLogs(request, tail);
    return tail;
  }

  private static long now() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  private static List<SentLog> logs(String tenant, String service, String prefix, int n, long startNanos) {
    List<SentLog> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new SentLog(tenant, startNanos + i * 1_000L, service, prefix + " #" + i, 9, "", Map.of()));
    }
    return out;
  }

  @Test
  void liveRecordsArriveOldestFirstOnlyForTheTailsTenantAndFilter() throws InterruptedException {
    TailLogsRequest request = TailLogsRequest.newBuilder().setFilter(LogFilter.newBuilder()
        .setServiceName("live").addTerms("needle")).build();
    Tail acme = open("acme", request);
    Tail globex = open("globex", request);
    // the first batch says the tail is live: everything sent from now on is after its start
    assertThat(acme.next().getRecordsCount()).isZero();
    assertThat(globex.next().getRecordsCount()).isZero();
    long t = now();
    List<SentLog> mine = logs("acme", "live", "needle in acme", 5, t);
    SentLog.send(server.uri(), mine);
    SentLog.send(server.uri(), List.of(new SentLog("acme", t + 10_000, "live", "no match here", 9, "", Map.of()),
        new SentLog("acme", t + 11_000, "other", "needle elsewhere", 9, "", Map.of())));
    SentLog.send(server.uri(), logs("globex", "live", "needle in globex", 1, t + 20_000));
    assertThat(acme.records(5, null).stream().map(SentLog::comparable).toList())
        .containsExactlyElementsOf(mine.stream().map(SentLog::expected).toList());
    assertThat(globex.records(1, null)).extracting(LogRecord::getBody).containsExactly("needle in globex #0");
    acme.call.cancel("done", null);
    globex.call.cancel("done", null);
    server.server().reads().logs().whenNoTailsOpen().join();
    assertThat(server.server().reads().logs().openTails()).isZero();
    assertThat(server.server().reads().logs().scheduledTailTasks()).isZero();
  }

  @Test
  void overTheRateLimitTheNewestAreSentAndTheRestCounted() throws InterruptedException {
    Tail tail = open("acme", TailLogsRequest.newBuilder().setMaxRecordsPerSecond(5)
        .setFilter(LogFilter.newBuilder().setServiceName("burst")).build());
    assertThat(tail.next().getRecordsCount()).isZero();
    List<SentLog> burst = logs("acme", "burst", "burst", 30, now());
    SentLog.send(server.uri(), burst);
    TailLogsResponse batch = tail.next();
    while (batch.getRecordsCount() == 0 && batch.getDroppedCount() == 0) {
      batch = tail.next();
    }
    assertThat(batch.getRecordsList().stream().map(SentLog::comparable).toList())
        .containsExactlyElementsOf(burst.subList(25, 30).stream().map(SentLog::expected).toList());
    assertThat(batch.getDroppedCount()).isEqualTo(25);
    tail.call.cancel("done", null);
    server.server().reads().logs().whenNoTailsOpen().join();
  }

  @Test
  void sinceSendsTheBacklogFirst() throws InterruptedException {
    long t = now();
    List<SentLog> earlier = logs("acme", "backlog", "before the tail", 3, t - 60_000_000_000L);
    SentLog.send(server.uri(), earlier);
    Tail tail = open("acme", TailLogsRequest.newBuilder().setSince(ProtoQueries.timestamp(t - 120_000_000_000L))
        .setFilter(LogFilter.newBuilder().setServiceName("backlog")).build());
    assertThat(tail.records(3, null).stream().map(SentLog::comparable).toList())
        .containsExactlyElementsOf(earlier.stream().map(SentLog::expected).toList());
    List<SentLog> later = logs("acme", "backlog", "after", 2, now());
    SentLog.send(server.uri(), later);
    assertThat(tail.records(2, null).stream().map(SentLog::comparable).toList())
        .containsExactlyElementsOf(later.stream().map(SentLog::expected).toList());
    tail.call.cancel("done", null);
    server.server().reads().logs().whenNoTailsOpen().join();
  }

  @Test
  void badRequestsEndTheStreamWithInvalidArgumentNamingTheField() throws InterruptedException {
    record Bad(TailLogsRequest request, String field) {}
    for (Bad bad : List.of(
        new Bad(TailLogsRequest.newBuilder().setMaxRecordsPerSecond(1001).build(), "max_records_per_second"),
        new Bad(TailLogsRequest.newBuilder().setMaxRecordsPerSecond(-1).build(), "max_records_per_second"),
        new Bad(TailLogsRequest.newBuilder().setSince(ProtoQueries.timestamp(now() - 7_200_000_000_000L)).build(),
            "since"),
        new Bad(TailLogsRequest.newBuilder().setFilter(LogFilter.newBuilder().setTraceId("nope")).build(),
            "filter.trace_id"),
        new Bad(TailLogsRequest.newBuilder().setFilter(LogFilter.newBuilder().addTerms("")).build(),
            "filter.terms[0]"))) {
      Status status = open("acme", bad.request()).end();
      assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(status.getDescription()).contains(bad.field());
    }
  }
}
