/** telemetry.v1.MetricsService over gRPC: the metric and attribute catalog listings (queries come later). */
package com.kubetelemetry.metrics;

import com.kubetelemetry.api.v1.ListAttributeKeysRequest;
import com.kubetelemetry.api.v1.ListAttributeKeysResponse;
import com.kubetelemetry.api.v1.ListAttributeValuesRequest;
import com.kubetelemetry.api.v1.ListAttributeValuesResponse;
import com.kubetelemetry.api.v1.ListMetricsRequest;
import com.kubetelemetry.api.v1.ListMetricsResponse;
import com.kubetelemetry.api.v1.MetricsServiceGrpc;
import com.kubetelemetry.metrics.catalog.MetricCatalog;
import com.kubetelemetry.read.ReadCalls;
import com.kubetelemetry.read.ReadContext;
import io.grpc.stub.StreamObserver;

/** Thin: resolves the caller's tenant and hands each call to the feature that serves it. */
public final class MetricsGrpcService extends MetricsServiceGrpc.MetricsServiceImplBase {
  private final ReadContext context;
  private final ReadCalls calls;
  private final MetricCatalog catalog;

  public MetricsGrpcService(ReadContext context) {
    this.context = context;
    this.calls = new ReadCalls(context);
    this.catalog = new MetricCatalog(context);
  }

  /** The catalog listings, also used by Explain. */
  public MetricCatalog catalog() {
    return catalog;
  }

  @Override
  public void listMetrics(ListMetricsRequest request, StreamObserver<ListMetricsResponse> response) {
    calls.unary(response, "ListMetrics", () -> catalog.listMetrics(context.tenant(), request));
  }

  @Override
  public void listAttributeKeys(ListAttributeKeysRequest request,
      StreamObserver<ListAttributeKeysResponse> response) {
    calls.unary(response, "ListAttributeKeys", () -> catalog.listAttributeKeys(context.tenant(), request));
  }

  @Override
  public void listAttributeValues(ListAttributeValuesRequest request,
      StreamObserver<ListAttributeValuesResponse> response) {
    calls.unary(response, "ListAttributeValues", () -> catalog.listAttributeValues(context.tenant(), request));
  }
}
