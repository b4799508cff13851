/** The OTLP/gRPC collector services (traces, metrics, logs): each Export call is handed to {@link OtlpIngest}. */
package com.kubetelemetry.ingest.otlp;

import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.ingest.OtlpIngest;
import com.kubetelemetry.ingest.mapping.WriteScope;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The response is sent when the ingest future completes (rows committed). Failures go through
 * {@link IngestFailures}: ingest's own StatusExceptions pass through, anything else becomes a generic INTERNAL.
 */
public final class OtlpGrpcServices {
  private final OtlpIngest ingest;
  private final TenantResolver tenants;

  public OtlpGrpcServices(OtlpIngest ingest, TenantResolver tenants) {
    this.ingest = ingest;
    this.tenants = tenants;
  }

  /** The three collector services, ready for a GrpcService builder. */
  public List<BindableService> services() {
    return List.of(new Traces(), new Metrics(), new Logs());
  }

  private WriteScope scope() {
    return tenants.writeScope(ServiceRequestContext.current().request().headers());
  }

  private static <R> void answer(Supplier<CompletableFuture<R>> call, StreamObserver<R> observer, String what) {
    CompletableFuture<R> future;
    try {
      future = call.get();
    } catch (RuntimeException e) {
      observer.onError(IngestFailures.toStatus(e, what).asRuntimeException());
      return;
    }
    future.whenComplete((response, failure) -> {
      if (failure != null) {
        observer.onError(IngestFailures.toStatus(failure, what).asRuntimeException());
      } else {
        observer.onNext(response);
        observer.onCompleted();
      }
    });
  }

  private final class Traces extends TraceServiceGrpc.TraceServiceImplBase {
    @Override
    public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
      WriteScope scope = scope();
      answer(() -> ingest.exportTraces(scope, request), observer, "trace export");
    }
  }

  private final class Metrics extends MetricsServiceGrpc.MetricsServiceImplBase {
    @Override
    public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> observer) {
      WriteScope scope = scope();
      answer(() -> ingest.exportMetrics(scope, request), observer, "metrics export");
    }
  }

  private final class Logs extends LogsServiceGrpc.LogsServiceImplBase {
    @Override
    public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> observer) {
      WriteScope scope = scope();
      answer(() -> ingest.exportLogs(scope, request), observer, "logs export");
    }
  }
}
