/** telemetry.v1.MetricsService over gRPC: the catalog listings (metrics, attribute keys and values) and queries. */
package com.kubetelemetry.metrics;

import com.kubetelemetry.api.v1.ListAttributeKeysRequest;
import com.kubetelemetry.api.v1.ListAttributeKeysResponse;
import com.kubetelemetry.api.v1.ListAttributeValuesRequest;
import com.kubetelemetry.api.v1.ListAttributeValuesResponse;
import com.kubetelemetry.api.v1.ListMetricsRequest;
import com.kubetelemetry.api.v1.ListMetricsResponse;
import com.kubetelemetry.api.v1.MetricsServiceGrpc;
import com.kubetelemetry.cache.QueryCache;
import com.kubetelemetry.cache.QueryRangeCache;
import com.kubetelemetry.api.v1.QueryInstantRequest;
import com.kubetelemetry.api.v1.QueryInstantResponse;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.QueryRangeResponse;
import com.kubetelemetry.metrics.catalog.MetricCatalog;
import com.kubetelemetry.metrics.range.MetricRangeQueries;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.read.ReadCalls;
import com.kubetelemetry.read.ReadContext;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * Thin translator: the tenant of the call, the work in {@link MetricCatalog} (listings) and
 * {@link MetricRangeQueries} (queries), failures via {@link ReadCalls}.
 */
public final class MetricsGrpcService extends MetricsServiceGrpc.MetricsServiceImplBase {
  private final ReadContext context;
  private final ReadCalls calls;
  private final MetricCatalog catalog;
  private final MetricRangeQueries range;
  private final QueryRangeCache rangeCache;

  public MetricsGrpcService(ReadContext context) {
    this(context, QueryCache.disabled());
  }

  /** QueryRange answers go through {@code cache}. */
  public MetricsGrpcService(ReadContext context, QueryCache cache) {
    this.context = context;
    this.calls = new ReadCalls(context);
    this.catalog = new MetricCatalog(context);
    this.range = new MetricRangeQueries(context);
    this.rangeCache = new QueryRangeCache(cache, range, context.clock(), context.settings());
  }

  /** The catalog listings, with their {@code plan*} methods for Explain. */
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

  @Override
  public void queryRange(QueryRangeRequest request, StreamObserver<QueryRangeResponse> response) {
    calls.unary(response, "QueryRange", () -> rangeCache.queryRange(context.tenant(), request));
  }

  @Override
  public void queryInstant(QueryInstantRequest request, StreamObserver<QueryInstantResponse> response) {
    calls.unary(response, "QueryInstant", () -> range.queryInstant(context.tenant(), request));
  }

  /** The statements QueryRange runs for {@code request} (what Explain shows). */
  public List<PlannedStatement> planQueryRange(TenantId tenant, QueryRangeRequest request) {
    return range.planRange(tenant, request);
  }

  /** The statements QueryInstant runs for {@code request} (what Explain shows). */
  public List<PlannedStatement> planQueryInstant(TenantId tenant, QueryInstantRequest request) {
    return range.planInstant(tenant, request);
  }
}
