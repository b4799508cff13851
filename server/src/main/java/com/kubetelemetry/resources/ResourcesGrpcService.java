/** ResourcesService: Kubernetes objects of the caller's tenant (kinds, lists, get, history, watch, push). */
package com.kubetelemetry.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kubetelemetry.api.v1.GetRelatedTelemetryRequest;
import com.kubetelemetry.api.v1.GetRelatedTelemetryResponse;
import com.kubetelemetry.api.v1.GetResourceHistoryRequest;
import com.kubetelemetry.api.v1.GetResourceHistoryResponse;
import com.kubetelemetry.api.v1.GetResourceRequest;
import com.kubetelemetry.api.v1.GetResourceResponse;
import com.kubetelemetry.api.v1.ListKindsRequest;
import com.kubetelemetry.api.v1.ListKindsResponse;
import com.kubetelemetry.api.v1.ListResourcesRequest;
import com.kubetelemetry.api.v1.ListResourcesResponse;
import com.kubetelemetry.api.v1.PageResponse;
import com.kubetelemetry.api.v1.PushedResource;
import com.kubetelemetry.api.v1.PutResourcesRequest;
import com.kubetelemetry.api.v1.PutResourcesResponse;
import com.kubetelemetry.api.v1.ResourceKind;
import com.kubetelemetry.api.v1.ResourcesServiceGrpc;
import com.kubetelemetry.api.v1.WatchResourcesRequest;
import com.kubetelemetry.api.v1.WatchResourcesResponse;
import com.kubetelemetry.query.AttributeMatcher;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.query.resources.FieldFilter;
import com.kubetelemetry.query.resources.LabelRequirement;
import com.kubetelemetry.query.resources.LabelSelectorParser;
import com.kubetelemetry.query.resources.RelatedTelemetry;
import com.kubetelemetry.query.resources.ResourceColumns;
import com.kubetelemetry.query.resources.ResourceKey;
import com.kubetelemetry.query.resources.ResourceListing;
import com.kubetelemetry.query.resources.ResourceQueryCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.read.PageTokens;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadCalls;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.read.ReadErrors;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Thin translator between the API and {@link ResourceQueryCompiler}; errors go through {@link ReadErrors}. Page
 * tokens carry the last row's position. PutResources writes straight to the tables (one insert per call).
 */
public final class ResourcesGrpcService extends ResourcesServiceGrpc.ResourcesServiceImplBase
    implements AutoCloseable {
  public static final int MAX_PUT = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReadContext context;
  private final ReadCalls calls;
  private final ResourceQueryCompiler compiler;
  private final ResourceWatches watches;

  public ResourcesGrpcService(ReadContext context) {
    this.context = context;
    this.calls = new ReadCalls(context);
    this.compiler = new ResourceQueryCompiler(context.schema(), context.limits());
    this.watches = new ResourceWatches(context, compiler);
  }

  @Override
  public void listKinds(ListKindsRequest request, StreamObserver<ListKindsResponse> response) {
    calls.unary(response, "ListKinds", () -> {
      ListKindsResponse.Builder out = ListKindsResponse.newBuilder();
      for (EngineRow row : EngineRows.run(context.store(), compiler.kinds(context.tenant())).rows()) {
        out.addKinds(ResourceKind.newBuilder().setGroup(row.string(0)).setVersion(row.string(1))
            .setKind(row.string(2)).setCount(row.int64(3)));
      }
      return out.build();
    });
  }

  @Override
  public void listResources(ListResourcesRequest request, StreamObserver<ListResourcesResponse> response) {
    calls.unary(response, "ListResources", () -> {
      ListResourcesRequest withoutToken = request.toBuilder().setPage(request.getPage().toBuilder()
          .clearPageToken()).build();
      List<String> position = PageTokens.decode(request.getPage().getPageToken(), withoutToken, "page.page_token");
      ResourceListing.Position after = position.size() == 3
          ? new ResourceListing.Position(position.get(0), position.get(1), position.get(2)) : null;
      List<FieldFilter> fields = new ArrayList<>();
      for (int i = 0; i < request.getFieldFiltersCount(); i++) {
        var f = request.getFieldFilters(i);
        String path = "field_filters[" + i + "]";
        fields.add(FieldFilter.of(f.getPath(), op(f.getOperator(), path), switch (f.getOperator()) {
          case MATCH_OPERATOR_IN, MATCH_OPERATOR_NOT_IN -> f.getValuesList();
          case MATCH_OPERATOR_EXISTS, MATCH_OPERATOR_NOT_EXISTS -> List.of();
          default -> List.of(f.getValue());
        }, path));
      }
      ResourceListing listing = new ResourceListing(request.getKind(), request.getGroup(), request.getNamespace(),
          LabelSelectorParser.parse(request.getLabelSelector(), "label_selector"), fields, request.getNamePrefix(),
          request.getPage().getPageSize(), after);
      int pageSize = ResourceQueryCompiler.pageSize(request.getPage().getPageSize());
      List<EngineRow> rows = EngineRows.run(context.store(), compiler.list(context.tenant(), listing)).rows();
      ListResourcesResponse.Builder out = ListResourcesResponse.newBuilder();
      for (int i = 0; i < Math.min(pageSize, rows.size()); i++) {
        out.addResources(StoredResources.resource(rows.get(i)));
      }
      PageResponse.Builder page = PageResponse.newBuilder();
      if (rows.size() > pageSize) {
        EngineRow last = rows.get(pageSize - 1);
        page.setNextPageToken(PageTokens.encode(withoutToken, List.of(last.string(ResourceColumns.NAMESPACE),
            last.string(ResourceColumns.NAME), last.string(ResourceColumns.UID))));
      }
      return out.setPage(page).build();
    });
  }

  @Override
  public void getResource(GetResourceRequest request, StreamObserver<GetResourceResponse> response) {
    calls.unary(response, "GetResource", () -> {
      ResourceKey key = key(request.getKey());
      TenantId tenant = context.tenant();
      var sql = request.hasAt() ? compiler.asOf(tenant, key, ProtoQueries.instant(request.getAt(), "at"))
          : compiler.current(tenant, key);
      List<EngineRow> rows = EngineRows.run(context.store(), sql).rows();
      if (rows.isEmpty() || rows.getFirst().int64(ResourceColumns.DELETED) != 0) {
        throw Status.NOT_FOUND.withDescription("no " + (request.hasAt() ? "object existed at `at`" : "live object")
            + " with this key: check kind, namespace and name (or uid)").asRuntimeException();
      }
      return GetResourceResponse.newBuilder().setResource(StoredResources.resource(rows.getFirst())).build();
    });
  }

  @Override
  public void getResourceHistory(GetResourceHistoryRequest request,
      StreamObserver<GetResourceHistoryResponse> response) {
    calls.unary(response, "GetResourceHistory", () -> {
      ResourceKey key = key(request.getKey());
      GetResourceHistoryRequest withoutToken = request.toBuilder().setPage(request.getPage().toBuilder()
          .clearPageToken()).build();
      List<String> position = PageTokens.decode(request.getPage().getPageToken(), withoutToken, "page.page_token");
      ResourceQueryCompiler.HistoryPosition after = null;
      if (!position.isEmpty()) {
        try {
          after = new ResourceQueryCompiler.HistoryPosition(Long.parseUnsignedLong(position.get(0)),
              Integer.parseInt(position.get(1)), position.get(2));
        } catch (RuntimeException e) {
          throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, "page.page_token",
              "`page.page_token` is not a token of this request");
        }
      }
      TimeWindow window = request.hasTimeRange()
          ? context.ranges().resolve(ProtoQueries.timeRange(request.getTimeRange(), context.clock())) : null;
      int pageSize = ResourceQueryCompiler.pageSize(request.getPage().getPageSize());
      List<EngineRow> rows = EngineRows.run(context.store(),
          compiler.history(context.tenant(), key, window, after, pageSize)).rows();
      EngineRow previous = null;
      if (after != null && !rows.isEmpty() && StoredResources.position(rows.getFirst()).equals(after)) {
        previous = rows.removeFirst();
      }
      GetResourceHistoryResponse.Builder out = GetResourceHistoryResponse.newBuilder();
      for (int i = 0; i < Math.min(pageSize, rows.size()); i++) {
        out.addVersions(StoredResources.version(rows.get(i), previous));
        previous = rows.get(i);
      }
      PageResponse.Builder page = PageResponse.newBuilder();
      if (rows.size() > pageSize) {
        var last = StoredResources.position(rows.get(pageSize - 1));
        page.setNextPageToken(PageTokens.encode(withoutToken, List.of(Long.toUnsignedString(last.number()),
            Integer.toString(last.eventType()), last.uid())));
      }
      return out.setPage(page).build();
    });
  }

  @Override
  public void watchResources(WatchResourcesRequest request, StreamObserver<WatchResourcesResponse> response) {
    watches.open(request, (ServerCallStreamObserver<WatchResourcesResponse>) response);
  }

  @Override
  public void getRelatedTelemetry(GetRelatedTelemetryRequest request,
      StreamObserver<GetRelatedTelemetryResponse> response) {
    calls.unary(response, "GetRelatedTelemetry", () -> {
      GetRelatedTelemetryResponse.Builder out = GetRelatedTelemetryResponse.newBuilder();
      for (AttributeMatcher m : RelatedTelemetry.matchers(request.getKind(), request.getNamespace(),
          request.getName())) {
        out.addMatchers(com.kubetelemetry.api.v1.AttributeMatcher.newBuilder()
            .setTarget(com.kubetelemetry.api.v1.AttributeTarget.ATTRIBUTE_TARGET_RESOURCE).setKey(m.key())
            .setOperator(com.kubetelemetry.api.v1.MatchOperator.MATCH_OPERATOR_EQUAL).setValue(m.values().getFirst()));
      }
      return out.build();
    });
  }

  @Override
  public void putResources(PutResourcesRequest request, StreamObserver<PutResourcesResponse> response) {
    calls.unary(response, "PutResources", () -> {
      if (request.getResourcesCount() > MAX_PUT) {
        throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, "resources", "request has "
            + request.getResourcesCount() + " resources; the maximum is " + MAX_PUT + ": split it");
      }
      String tenant = context.tenant().tenant();
      long now = nanos(context.clock().instant());
      List<ObjectChange> changes = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      long rejected = 0;
      for (int i = 0; i < request.getResourcesCount(); i++) {
        PushedResource pushed = request.getResources(i);
        try {
          JsonNode node = JSON.readTree(pushed.getObjectJson());
          if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("object_json is not a JSON object");
          }
          ObjectFields.of(object);
          long time = pushed.hasObservedTime()
              ? nanos(ProtoQueries.instant(pushed.getObservedTime(), "resources[" + i + "].observed_time")) : now;
          changes.add(new ObjectChange(tenant, pushed.getCluster(), type(pushed.getType()), time, object));
        } catch (QueryException e) {
          throw e;
        } catch (Exception e) {
          rejected++;
          if (problems.size() < 5) {
            problems.add("resources[" + i + "]: " + (e instanceof IllegalArgumentException ? e.getMessage()
                : "object_json is not valid JSON"));
          }
        }
      }
      ResourceRows.write(context.store(), changes);
      return PutResourcesResponse.newBuilder().setAccepted(changes.size()).setRejected(rejected)
          .setRejectionMessage(String.join("; ", problems)).build();
    });
  }

  /** Ends every open watch; idempotent. */
  @Override
  public void close() {
    watches.close();
  }

  private static ChangeType type(com.kubetelemetry.api.v1.ChangeType type) {
    return switch (type) {
      case CHANGE_TYPE_ADDED -> ChangeType.ADDED;
      case CHANGE_TYPE_DELETED -> ChangeType.DELETED;
      default -> ChangeType.MODIFIED;
    };
  }

  static ResourceKey key(com.kubetelemetry.api.v1.ResourceKey key) {
    return new ResourceKey(key.getKind(), key.getGroup(), key.getNamespace(), key.getName(), key.getUid());
  }

  static LabelRequirement.Op op(com.kubetelemetry.api.v1.MatchOperator op, String field) {
    return switch (op) {
      case MATCH_OPERATOR_UNSPECIFIED, MATCH_OPERATOR_EQUAL -> LabelRequirement.Op.EQUALS;
      case MATCH_OPERATOR_NOT_EQUAL -> LabelRequirement.Op.NOT_EQUALS;
      case MATCH_OPERATOR_IN -> LabelRequirement.Op.IN;
      case MATCH_OPERATOR_NOT_IN -> LabelRequirement.Op.NOT_IN;
      case MATCH_OPERATOR_EXISTS -> LabelRequirement.Op.EXISTS;
      case MATCH_OPERATOR_NOT_EXISTS -> LabelRequirement.Op.NOT_EXISTS;
      default -> throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, field + ".operator", "`" + field
          + ".operator` must be EQUAL, NOT_EQUAL, IN, NOT_IN, EXISTS or NOT_EXISTS");
    };
  }

  private static long nanos(java.time.Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
