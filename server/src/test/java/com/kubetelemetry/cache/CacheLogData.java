/** Log records for the histogram cache tests, sent over OTLP: random severities, services and bodies per record. */
package com.kubetelemetry.cache;

import com.google.protobuf.Timestamp;
import com.kubetelemetry.api.v1.AbsoluteTimeRange;
import com.kubetelemetry.api.v1.GetLogHistogramRequest;
import com.kubetelemetry.api.v1.GetLogHistogramResponse;
import com.kubetelemetry.api.v1.LogFilter;
import com.kubetelemetry.api.v1.LogsServiceGrpc;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.TimeRange;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc.LogsServiceBlockingStub;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/** Record {@code i} of a batch gets service {@link #SERVICES}, body {@link #BODIES} and a severity from the seed. */
final class CacheLogData {
  static final List<String> SERVICES = List.of("api", "worker", "db");
  static final List<String> BODIES = List.of("GET /users took 15ms", "connection timeout to db",
      "Timeout waiting for lock", "disk full", "user alice logged in");

  private CacheLogData() {}

  /** Sends one record of {@code tenant} at each of {@code times}, in one export. */
  static void send(String uri, String tenant, List<Instant> times, long seed) {
    Random random = new Random(seed);
    ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
    for (String service : SERVICES) {
      ScopeLogs.Builder scope = ScopeLogs.newBuilder();
      for (int i = 0; i < times.size(); i++) {
        if (!SERVICES.get(i % SERVICES.size()).equals(service)) {
          continue;
        }
        Instant t = times.get(i);
        scope.addLogRecords(LogRecord.newBuilder()
            .setTimeUnixNano(t.getEpochSecond() * 1_000_000_000L + t.getNano())
            .setSeverityNumberValue(random.nextInt(25))
            .setBody(AnyValue.newBuilder().setStringValue(BODIES.get(random.nextInt(BODIES.size())))));
      }
      request.addResourceLogs(ResourceLogs.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(CacheTestData.text("service.name", service))
              .addAttributes(CacheTestData.text("tenant.id", tenant)))
          .addScopeLogs(scope));
    }
    var response = GrpcClients.newClient(uri, LogsServiceBlockingStub.class).export(request.build());
    if (response.getPartialSuccess().getRejectedLogRecords() > 0) {
      throw new AssertionError("records rejected: " + response.getPartialSuccess());
    }
  }

  /** A histogram request over the absolute [from, to) with a step of {@code stepSeconds} (0: the server's). */
  static GetLogHistogramRequest histogram(Instant from, Instant to, long stepSeconds, LogFilter filter) {
    TimeRange.Builder range = TimeRange.newBuilder().setAbsolute(AbsoluteTimeRange.newBuilder()
        .setStart(timestamp(from)).setEnd(timestamp(to)));
    if (stepSeconds > 0) {
      range.setStep(com.google.protobuf.Duration.newBuilder().setSeconds(stepSeconds));
    }
    return GetLogHistogramRequest.newBuilder().setTimeRange(range).setFilter(filter).build();
  }

  /** Calls GetLogHistogram for {@code tenant}; {@code noCache} sends {@code cache-control: no-cache}. */
  static CachedCall<GetLogHistogramResponse> call(String uri, String tenant, boolean noCache,
      GetLogHistogramRequest request) {
    return CachedCall.call(uri, LogsServiceGrpc.LogsServiceBlockingStub.class, tenant, noCache,
        stub -> stub.getLogHistogram(request));
  }

  /** The answer without its stats (which differ between cached and uncached answers). */
  static GetLogHistogramResponse withoutStats(GetLogHistogramResponse r) {
    return r.toBuilder().setStats(QueryStats.getDefaultInstance()).build();
  }

  /** The records counted in {@code r}. */
  static long total(GetLogHistogramResponse r) {
    return r.getBucketsList().stream().mapToLong(b -> b.getTotal()).sum();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
