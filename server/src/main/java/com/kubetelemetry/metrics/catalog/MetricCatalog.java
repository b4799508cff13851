/** Serves ListMetrics, ListAttributeKeys and ListAttributeValues from the metric catalogs (schema version 2). */
package com.kubetelemetry.metrics.catalog;

import com.kubetelemetry.api.v1.AggregationTemporality;
import com.kubetelemetry.api.v1.AttributeKeyCount;
import com.kubetelemetry.api.v1.AttributeTarget;
import com.kubetelemetry.api.v1.AttributeValueCount;
import com.kubetelemetry.api.v1.ListAttributeKeysRequest;
import com.kubetelemetry.api.v1.ListAttributeKeysResponse;
import com.kubetelemetry.api.v1.ListAttributeValuesRequest;
import com.kubetelemetry.api.v1.ListAttributeValuesResponse;
import com.kubetelemetry.api.v1.ListMetricsRequest;
import com.kubetelemetry.api.v1.ListMetricsResponse;
import com.kubetelemetry.api.v1.MetricDescriptor;
import com.kubetelemetry.api.v1.MetricType;
import com.kubetelemetry.api.v1.PageResponse;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.catalog.AttributeListing;
import com.kubetelemetry.query.catalog.AttributeSource;
import com.kubetelemetry.query.catalog.CatalogCompiler;
import com.kubetelemetry.query.catalog.MetricKind;
import com.kubetelemetry.query.catalog.MetricListing;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.read.PageTokens;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadContext;
import java.util.List;

/**
 * Translates the requests to catalog listings, runs the one compiled statement each compiles to and maps its rows.
 * The {@code plan*} methods return exactly what the calls run, for Explain. Listing pages continue after the last
 * (name, type) of the previous page; tokens are bound to the request by {@link PageTokens}.
 */
public final class MetricCatalog {
  private static final String PAGE_TOKEN = "page.page_token";

  private final ReadContext context;
  private final CatalogCompiler compiler;

  public MetricCatalog(ReadContext context) {
    this.context = context;
    this.compiler = new CatalogCompiler(context.schema(), context.ranges(), context.limits());
  }

  /** The statement ListMetrics runs for {@code request}. */
  public List<PlannedStatement> planListMetrics(TenantId tenant, ListMetricsRequest request) {
    return List.of(new PlannedStatement("list metrics from the metric catalog",
        compiler.metrics(tenant, listing(request))));
  }

  /** The statement ListAttributeKeys runs for {@code request}. */
  public List<PlannedStatement> planListAttributeKeys(TenantId tenant, ListAttributeKeysRequest request) {
    return List.of(new PlannedStatement("list attribute keys from the attribute catalog",
        compiler.keys(tenant, keyListing(request))));
  }

  /** The statement ListAttributeValues runs for {@code request}. */
  public List<PlannedStatement> planListAttributeValues(TenantId tenant, ListAttributeValuesRequest request) {
    AttributeListing listing = valueListing(request);
    return List.of(new PlannedStatement(listing.matchers().isEmpty()
        ? "list attribute values from the attribute catalog"
        : "list attribute values from the data points matching the matchers", compiler.values(tenant, listing)));
  }

  public ListMetricsResponse listMetrics(TenantId tenant, ListMetricsRequest request) {
    int pageSize = CatalogCompiler.size(request.getPage().getPageSize(), "page.page_size");
    List<EngineRow> rows = EngineRows.run(context.store(), planListMetrics(tenant, request).getFirst().sql()).rows();
    ListMetricsResponse.Builder out = ListMetricsResponse.newBuilder();
    for (EngineRow row : rows.subList(0, Math.min(pageSize, rows.size()))) {
      int temporality = (int) row.int64(4);
      out.addMetrics(MetricDescriptor.newBuilder()
          .setName(row.string(0))
          .setType(MetricType.forNumber((int) row.int64(1)))
          .setUnit(row.string(2))
          .setDescription(row.string(3))
          .setTemporality(temporality == 1 || temporality == 2 ? AggregationTemporality.forNumber(temporality)
              : AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED)
          .setMonotonic(row.bool(5))
          .addAllServiceNames(row.strings(6))
          .setLastSeen(ProtoQueries.timestamp(row.int64(7))));
    }
    PageResponse.Builder page = PageResponse.newBuilder();
    if (rows.size() > pageSize) {
      MetricDescriptor last = out.getMetrics(pageSize - 1);
      page.setNextPageToken(PageTokens.encode(withoutToken(request),
          List.of(last.getName(), Integer.toString(last.getTypeValue()))));
    }
    return out.setPage(page).build();
  }

  public ListAttributeKeysResponse listAttributeKeys(TenantId tenant, ListAttributeKeysRequest request) {
    int limit = CatalogCompiler.size(request.getLimit(), "limit");
    AttributeTarget target = answeredTarget(request.getTarget());
    List<EngineRow> rows = EngineRows.run(context.store(), planListAttributeKeys(tenant, request).getFirst().sql())
        .rows();
    ListAttributeKeysResponse.Builder out = ListAttributeKeysResponse.newBuilder().setTruncated(rows.size() > limit);
    for (EngineRow row : rows.subList(0, Math.min(limit, rows.size()))) {
      out.addKeys(AttributeKeyCount.newBuilder().setTarget(target).setKey(row.string(0)).setCount(row.int64(1)));
    }
    return out.build();
  }

  public ListAttributeValuesResponse listAttributeValues(TenantId tenant, ListAttributeValuesRequest request) {
    int limit = CatalogCompiler.size(request.getLimit(), "limit");
    List<EngineRow> rows = EngineRows.run(context.store(), planListAttributeValues(tenant, request).getFirst().sql())
        .rows();
    boolean capped = !rows.isEmpty() && rows.getFirst().int64(2) >= CatalogCompiler.MAX_DISTINCT_VALUES;
    ListAttributeValuesResponse.Builder out = ListAttributeValuesResponse.newBuilder()
        .setTruncated(rows.size() > limit || capped);
    for (EngineRow row : rows.subList(0, Math.min(limit, rows.size()))) {
      out.addValues(AttributeValueCount.newBuilder().setValue(row.string(0)).setCount(row.int64(1)));
    }
    return out.build();
  }

  private MetricListing listing(ListMetricsRequest r) {
    MetricKind kind = r.getTypeValue() == 0 ? null : MetricKind.ofNumber(r.getTypeValue()).orElseThrow(() ->
        invalid("type", "`type` " + r.getTypeValue() + " is not a metric type: use GAUGE, SUM, HISTOGRAM, "
            + "EXPONENTIAL_HISTOGRAM, SUMMARY or leave it unset"));
    return new MetricListing(ProtoQueries.timeRange(r.getTimeRange(), context.clock()), r.getNamePrefix(),
        r.getServiceName(), kind, r.getPage().getPageSize(), position(r));
  }

  private static MetricListing.Position position(ListMetricsRequest r) {
    List<String> position = PageTokens.decode(r.getPage().getPageToken(), withoutToken(r), PAGE_TOKEN);
    if (position.isEmpty()) {
      return null;
    }
    MetricKind kind = null;
    if (position.size() == 2 && position.get(1).matches("[1-5]")) {
      kind = MetricKind.ofNumber(Integer.parseInt(position.get(1))).orElse(null);
    }
    if (kind == null) {
      throw invalid(PAGE_TOKEN, "`" + PAGE_TOKEN + "` is not a token this server issued: pass `next_page_token` "
          + "unchanged, or leave it empty for the first page");
    }
    return new MetricListing.Position(position.get(0), kind);
  }

  private static ListMetricsRequest withoutToken(ListMetricsRequest r) {
    return r.toBuilder().setPage(r.getPage().toBuilder().clearPageToken()).build();
  }

  private AttributeListing keyListing(ListAttributeKeysRequest r) {
    return new AttributeListing(ProtoQueries.timeRange(r.getTimeRange(), context.clock()), r.getMetricName(),
        source(r.getTarget()), null, r.getPrefix(), r.getLimit(), List.of());
  }

  private AttributeListing valueListing(ListAttributeValuesRequest r) {
    return new AttributeListing(ProtoQueries.timeRange(r.getTimeRange(), context.clock()), r.getMetricName(),
        source(r.getTarget()), r.getKey(), r.getPrefix(), r.getLimit(),
        ProtoQueries.matchers(r.getMatchersList(), "matchers"));
  }

  private static AttributeSource source(AttributeTarget target) {
    return switch (target) {
      case ATTRIBUTE_TARGET_UNSPECIFIED, ATTRIBUTE_TARGET_ITEM -> AttributeSource.POINT;
      case ATTRIBUTE_TARGET_RESOURCE -> AttributeSource.RESOURCE;
      case ATTRIBUTE_TARGET_SCOPE -> AttributeSource.SCOPE;
      case ATTRIBUTE_TARGET_FIELD -> throw invalid("target", "`target` FIELD has no catalog: the fields of metric "
          + "points are fixed (service_name, metric_name, metric_description, metric_unit, scope_name, "
          + "scope_version, value); use RESOURCE, SCOPE or ITEM");
      default -> throw invalid("target", "`target` is not a known attribute target: use RESOURCE, SCOPE or ITEM");
    };
  }

  private static AttributeTarget answeredTarget(AttributeTarget target) {
    return target == AttributeTarget.ATTRIBUTE_TARGET_UNSPECIFIED ? AttributeTarget.ATTRIBUTE_TARGET_ITEM : target;
  }

  private static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }
}
