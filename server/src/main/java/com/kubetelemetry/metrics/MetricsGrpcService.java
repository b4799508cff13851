/** telemetry.v1.MetricsService over gRPC: QueryRange and QueryInstant (the catalog methods live on branch mcat). */
package com.kubetelemetry.metrics;

import com.kubetelemetry.api.v1.MetricsServiceGrpc;
import com.kubetelemetry.api.v1.QueryInstantRequest;
import com.kubetelemetry.api.v1.QueryInstantResponse;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.QueryRangeResponse;
import com.kubetelemetry.metrics.range.MetricRangeQueries;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.storage.StoreException;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Thin translator: the tenant of the call, the work in {@link MetricRangeQueries}, failures mapped to a status. */
public final class MetricsGrpcService extends MetricsServiceGrpc.MetricsServiceImplBase {
  private final MetricRangeQueries range;
  private final Supplier<TenantId> tenant;

  public MetricsGrpcService(MetricRangeQueries range, Supplier<TenantId> tenant) {
    this.range = range;
    this.tenant = tenant;
  }

  @Override
  public void queryRange(QueryRangeRequest request, StreamObserver<QueryRangeResponse> response) {
    unary(response, () -> range.queryRange(tenant.get(), request));
  }

  @Override
  public void queryInstant(QueryInstantRequest request, StreamObserver<QueryInstantResponse> response) {
    unary(response, () -> range.queryInstant(tenant.get(), request));
  }

  private static <T> void unary(StreamObserver<T> response, Supplier<T> work) {
    T answer;
    try {
      answer = work.get();
    } catch (QueryException e) {
      response.onError((e.kind() == QueryException.Kind.INVALID_ARGUMENT ? Status.INVALID_ARGUMENT
          : Status.RESOURCE_EXHAUSTED).withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (StoreException e) {
      response.onError(Status.INTERNAL.withDescription("the metric query failed in storage").asRuntimeException());
      return;
    }
    response.onNext(answer);
    response.onCompleted();
  }
}
