/** WatchResources (order, resume, errors) and objects from the Collector's k8sobjects receiver over OTLP. */
package com.kubetelemetry.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.api.v1.ChangeType;
import com.kubetelemetry.api.v1.GetResourceHistoryRequest;
import com.kubetelemetry.api.v1.ListResourcesRequest;
import com.kubetelemetry.api.v1.PutResourcesRequest;
import com.kubetelemetry.api.v1.Resource;
import com.kubetelemetry.api.v1.ResourceKey;
import com.kubetelemetry.api.v1.ResourceVersion;
import com.kubetelemetry.api.v1.ResourcesServiceGrpc;
import com.kubetelemetry.api.v1.WatchResourcesRequest;
import com.kubetelemetry.api.v1.WatchResourcesResponse;
import com.kubetelemetry.server.RecordedStream;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResourcesWatchAndOtlpTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());

  private static ResourcesServiceGrpc.ResourcesServiceBlockingStub client() {
    return GrpcClients.newClient(server.uri(), ResourcesServiceGrpc.ResourcesServiceBlockingStub.class);
  }

  /** A watch as the client sees it. */
  static final class Watch extends RecordedStream<WatchResourcesRequest, WatchResourcesResponse> {
    /** Changes until {@code count} arrived. */
    List<ResourceVersion> changes(int count) throws InterruptedException {
      List<ResourceVersion> out = new ArrayList<>();
      while (out.size() < count) {
        out.addAll(next().getChangesList());
      }
      return out;
    }
  }

  private static Watch watch(WatchResourcesRequest request) {
    Watch w = new Watch();
    GrpcClients.builder(server.uri()).build(ResourcesServiceGrpc.ResourcesServiceStub.class)
        .watchResources(request, w);
    return w;
  }

  @Test
  void watchersReceiveChangesInResourceVersionOrderAndCanResume() throws Exception {
    Watch live = watch(WatchResourcesRequest.newBuilder().setKind("Pod").setNamespace("watch").build());
    assertThat(live.events.take()).isInstanceOf(WatchResourcesResponse.class); // the stream is open
    PutResourcesRequest.Builder put = PutResourcesRequest.newBuilder();
    for (int i = 0; i < 6; i++) {
      put.addResources(ResourcesEndToEndTest.push(ResourcesEndToEndTest.pod("watch", "w" + (i % 3), "uid-w" + (i % 3),
          1000 + i, Map.of("app", i % 2 == 0 ? "even" : "odd"), "Running"),
          i < 3 ? ChangeType.CHANGE_TYPE_ADDED : ChangeType.CHANGE_TYPE_MODIFIED, i));
    }
    client().putResources(put.build());
    List<ResourceVersion> seen = live.changes(6);
    assertThat(seen).extracting(v -> v.getResource().getName() + "@" + v.getResource().getResourceVersion())
        .containsExactly("w0@1000", "w1@1001", "w2@1002", "w0@1003", "w1@1004", "w2@1005");
    live.call.cancel("done", null);

    Watch resumed = watch(WatchResourcesRequest.newBuilder().setResourceVersion("1002").setLabelSelector("app=odd")
        .build());
    assertThat(resumed.changes(2)).extracting(v -> v.getType() + ":" + v.getResource().getResourceVersion())
        .containsExactly("CHANGE_TYPE_MODIFIED:1003", "CHANGE_TYPE_MODIFIED:1005");
    resumed.call.cancel("done", null);
  }

  @Test
  void badWatchRequestsEndWithInvalidArgument() throws Exception {
    Watch bad = watch(WatchResourcesRequest.newBuilder().setLabelSelector("a in b").build());
    Object end = bad.events.take();
    assertThat(end).isInstanceOfSatisfying(Status.class, s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(s.getDescription()).contains("at character 6");
    });
    Watch badVersion = watch(WatchResourcesRequest.newBuilder().setResourceVersion("abc").build());
    assertThat(badVersion.events.take()).isInstanceOfSatisfying(Status.class,
        s -> assertThat(s.getDescription()).contains("resource_version"));
  }

  private static AnyValue map(Object... keyValues) {
    KeyValueList.Builder list = KeyValueList.newBuilder();
    for (int i = 0; i < keyValues.length; i += 2) {
      Object v = keyValues[i + 1];
      AnyValue value = v instanceof AnyValue a ? a : v instanceof Long l ? AnyValue.newBuilder().setIntValue(l).build()
          : AnyValue.newBuilder().setStringValue((String) v).build();
      list.addValues(KeyValue.newBuilder().setKey((String) keyValues[i]).setValue(value));
    }
    return AnyValue.newBuilder().setKvlistValue(list).build();
  }

  private static LogRecord record(AnyValue body, long time) {
    return LogRecord.newBuilder().setObservedTimeUnixNano(time).setBody(body)
        .addAttributes(KeyValue.newBuilder().setKey("k8s.resource.name")
            .setValue(AnyValue.newBuilder().setStringValue("deployments"))).build();
  }

  @Test
  void k8sObjectsReceiverLogsBecomeObjects() {
    long t = 1_700_000_000_000_000_000L;
    AnyValue v1 = map("apiVersion", "apps/v1", "kind", "Deployment", "metadata", map("name", "api", "namespace",
        "otlp", "uid", "uid-api", "resourceVersion", "77", "labels", map("app", "api")), "spec", map("replicas", 2L));
    AnyValue v2 = map("apiVersion", "apps/v1", "kind", "Deployment", "metadata", map("name", "api", "namespace",
        "otlp", "uid", "uid-api", "resourceVersion", "78", "labels", map("app", "api")), "spec", map("replicas", 3L));
    ExportLogsServiceRequest export = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder()
            .addLogRecords(record(v1, t)) // pull mode: the object itself
            .addLogRecords(record(map("type", "MODIFIED", "object", v2), t + 1)) // watch mode
            .addLogRecords(record(map("type", "BOOKMARK", "object", map("kind", "Deployment")), t + 2))
            .addLogRecords(LogRecord.newBuilder().setObservedTimeUnixNano(t).setBody(v1).build()))) // no attribute
        .build();
    GrpcClients.newClient(server.uri(), LogsServiceGrpc.LogsServiceBlockingStub.class).export(export);

    List<Resource> listed = client().listResources(ListResourcesRequest.newBuilder().setKind("Deployment")
        .setNamespace("otlp").build()).getResourcesList();
    assertThat(listed).extracting(Resource::getResourceVersion).containsExactly("78");
    assertThat(listed.getFirst().getObjectJson()).contains("\"replicas\":3");
    assertThat(listed.getFirst().getLabelsMap()).containsEntry("app", "api");
    Iterator<ResourceVersion> history = client().getResourceHistory(GetResourceHistoryRequest.newBuilder()
        .setKey(ResourceKey.newBuilder().setUid("uid-api")).build()).getVersionsList().iterator();
    assertThat(history.next().getPatch()).contains("\"replicas\":2");
    assertThat(history.next().getPatch()).isEqualTo("[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\","
        + "\"value\":\"78\"},{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":3}]");
    assertThat(history.hasNext()).isFalse();
  }

  @Test
  void badPageTokensAreRejected() {
    assertThatThrownBy(() -> client().listResources(ListResourcesRequest.newBuilder().setKind("Pod")
        .setPage(com.kubetelemetry.api.v1.PageRequest.newBuilder().setPageToken("garbage")).build()))
        .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("page_token");
  }
}
