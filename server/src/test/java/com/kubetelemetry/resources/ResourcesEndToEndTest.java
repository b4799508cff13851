/** ResourcesService through the real server: PutResources, then kinds, lists, get, history, related telemetry. */
package com.kubetelemetry.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.api.v1.ChangeType;
import com.kubetelemetry.api.v1.FieldFilter;
import com.kubetelemetry.api.v1.GetRelatedTelemetryRequest;
import com.kubetelemetry.api.v1.GetResourceHistoryRequest;
import com.kubetelemetry.api.v1.GetResourceRequest;
import com.kubetelemetry.api.v1.ListKindsRequest;
import com.kubetelemetry.api.v1.ListResourcesRequest;
import com.kubetelemetry.api.v1.ListResourcesResponse;
import com.kubetelemetry.api.v1.MatchOperator;
import com.kubetelemetry.api.v1.PageRequest;
import com.kubetelemetry.api.v1.PushedResource;
import com.kubetelemetry.api.v1.PutResourcesRequest;
import com.kubetelemetry.api.v1.PutResourcesResponse;
import com.kubetelemetry.api.v1.Resource;
import com.kubetelemetry.api.v1.ResourceKey;
import com.kubetelemetry.api.v1.ResourceVersion;
import com.kubetelemetry.api.v1.ResourcesServiceGrpc;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResourcesEndToEndTest {
  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  static final long T0 = 1_700_000_000_000_000_000L;

  private static ResourcesServiceGrpc.ResourcesServiceBlockingStub client() {
    return GrpcClients.newClient(server.uri(), ResourcesServiceGrpc.ResourcesServiceBlockingStub.class);
  }

  /** A pod object as the API server would return it. */
  static String pod(String ns, String name, String uid, long rv, Map<String, String> labels, String phase)
      throws Exception {
    Map<String, Object> object = Map.of("apiVersion", "v1", "kind", "Pod",
        "metadata", Map.of("namespace", ns, "name", name, "uid", uid, "resourceVersion", Long.toString(rv),
            "labels", labels, "managedFields", List.of(Map.of("manager", "kubectl")),
            "ownerReferences", List.of(Map.of("kind", "ReplicaSet", "name", "web-rs", "uid", "rs-1",
                "controller", true))),
        "spec", Map.of("nodeName", "node-1"),
        "status", Map.of("phase", phase, "conditions", List.of(Map.of("type", "Ready", "status",
            phase.equals("Running") ? "True" : "False"))));
    return JSON.writeValueAsString(object);
  }

  static PushedResource push(String json, ChangeType type, long offsetSeconds) {
    return PushedResource.newBuilder().setObjectJson(json).setType(type)
        .setObservedTime(ProtoQueries.timestamp(T0 + offsetSeconds * 1_000_000_000L)).build();
  }

  @BeforeAll
  static void store() throws Exception {
    PutResourcesRequest.Builder put = PutResourcesRequest.newBuilder();
    for (int i = 0; i < 5; i++) {
      put.addResources(push(pod("shop", "web-" + i, "uid-web-" + i, 100 + i, Map.of("app", "web",
          "tier", i % 2 == 0 ? "front" : "back"), "Pending"), ChangeType.CHANGE_TYPE_ADDED, 0));
    }
    put.addResources(push(pod("shop", "web-0", "uid-web-0", 200, Map.of("app", "web", "tier", "front"), "Running"),
        ChangeType.CHANGE_TYPE_MODIFIED, 10));
    put.addResources(push(pod("shop", "web-0", "uid-web-0", 200, Map.of("app", "web", "tier", "front"), "Running"),
        ChangeType.CHANGE_TYPE_MODIFIED, 11)); // the same change again: stored once
    put.addResources(push(pod("shop", "web-4", "uid-web-4", 201, Map.of("app", "web", "tier", "front"), "Pending"),
        ChangeType.CHANGE_TYPE_DELETED, 20));
    put.addResources(push(pod("other", "db-0", "uid-db-0", 150, Map.of("app", "db"), "Running"),
        ChangeType.CHANGE_TYPE_ADDED, 0));
    put.addResources(push("{\"kind\": \"Pod\"}", ChangeType.CHANGE_TYPE_ADDED, 0));
    put.addResources(push("not json", ChangeType.CHANGE_TYPE_ADDED, 0));
    put.addResources(PushedResource.newBuilder().setObjectJson(JSON.writeValueAsString(Map.of("apiVersion", "v1",
        "kind", "Secret", "metadata", Map.of("namespace", "shop", "name", "creds", "uid", "uid-secret",
            "resourceVersion", "300"), "data", Map.of("password", "c2VjcmV0")))).build());
    PutResourcesResponse response = client().putResources(put.build());
    assertThat(response.getAccepted()).isEqualTo(10);
    assertThat(response.getRejected()).isEqualTo(2);
    assertThat(response.getRejectionMessage()).contains("resources[9]: object needs apiVersion")
        .contains("resources[10]: object_json is not valid JSON");
  }

  @Test
  void listKindsCountsLiveObjects() {
    assertThat(client().listKinds(ListKindsRequest.getDefaultInstance()).getKindsList())
        .extracting(k -> k.getGroup() + "/" + k.getVersion() + "/" + k.getKind() + "=" + k.getCount())
        .containsExactly("/v1/Pod=5", "/v1/Secret=1");
  }

  @Test
  void listResourcesFiltersBySelectorFieldsAndPrefixAndPages() {
    ListResourcesResponse fronts = client().listResources(ListResourcesRequest.newBuilder().setKind("Pod")
        .setNamespace("shop").setLabelSelector("app=web,tier in (front)").build());
    assertThat(fronts.getResourcesList()).extracting(Resource::getName).containsExactly("web-0", "web-2");
    Resource web0 = fronts.getResources(0);
    assertThat(web0.getPhase()).isEqualTo("Running");
    assertThat(web0.getResourceVersion()).isEqualTo("200");
    assertThat(web0.getConditions(0).getStatus()).isEqualTo("True");
    assertThat(web0.getOwnerReferences(0).getController()).isTrue();
    assertThat(web0.getObjectJson()).contains("\"nodeName\":\"node-1\"").doesNotContain("managedFields");

    assertThat(client().listResources(ListResourcesRequest.newBuilder().setKind("Pod")
        .setLabelSelector("!tier").build()).getResourcesList()).extracting(Resource::getName).containsExactly("db-0");
    assertThat(client().listResources(ListResourcesRequest.newBuilder().setKind("Pod")
        .setLabelSelector("tier!=front").build()).getResourcesList()).extracting(Resource::getName)
        .containsExactly("db-0", "web-1", "web-3");
    assertThat(client().listResources(ListResourcesRequest.newBuilder().setKind("Pod")
        .addFieldFilters(FieldFilter.newBuilder().setPath("status.phase").setValue("Running")).build())
        .getResourcesList()).extracting(Resource::getName).containsExactly("db-0", "web-0");
    assertThat(client().listResources(ListResourcesRequest.newBuilder().setKind("Pod").setNamePrefix("web-")
        .addFieldFilters(FieldFilter.newBuilder().setPath("status.phase").setOperator(MatchOperator.MATCH_OPERATOR_NOT_EQUAL)
            .setValue("Running")).build()).getResourcesList()).extracting(Resource::getName)
        .containsExactly("web-1", "web-2", "web-3");

    List<String> paged = new ArrayList<>();
    String token = "";
    do {
      ListResourcesResponse page = client().listResources(ListResourcesRequest.newBuilder().setKind("Pod")
          .setPage(PageRequest.newBuilder().setPageSize(2).setPageToken(token)).build());
      page.getResourcesList().forEach(r -> paged.add(r.getName()));
      token = page.getPage().getNextPageToken();
    } while (!token.isEmpty());
    assertThat(paged).containsExactly("db-0", "web-0", "web-1", "web-2", "web-3");
  }

  @Test
  void secretsAreStoredWithoutData() {
    Resource secret = client().getResource(GetResourceRequest.newBuilder().setKey(ResourceKey.newBuilder()
        .setKind("Secret").setNamespace("shop").setName("creds")).build()).getResource();
    assertThat(secret.getObjectJson()).contains("creds").doesNotContain("password").doesNotContain("c2VjcmV0");
  }

  @Test
  void getResourceNowAndAsOfAPointInTime() {
    ResourceKey web0 = ResourceKey.newBuilder().setKind("Pod").setNamespace("shop").setName("web-0").build();
    assertThat(client().getResource(GetResourceRequest.newBuilder().setKey(web0).build()).getResource().getPhase())
        .isEqualTo("Running");
    assertThat(client().getResource(GetResourceRequest.newBuilder().setKey(web0)
        .setAt(ProtoQueries.timestamp(T0 + 5_000_000_000L)).build()).getResource().getPhase()).isEqualTo("Pending");
    ResourceKey web4 = ResourceKey.newBuilder().setUid("uid-web-4").build();
    assertThat(client().getResource(GetResourceRequest.newBuilder().setKey(web4)
        .setAt(ProtoQueries.timestamp(T0 + 15_000_000_000L)).build()).getResource().getName()).isEqualTo("web-4");
    assertThatThrownBy(() -> client().getResource(GetResourceRequest.newBuilder().setKey(web4).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void historyHasEveryDistinctChangeWithJsonPatches() {
    ResourceKey web0 = ResourceKey.newBuilder().setKind("Pod").setNamespace("shop").setName("web-0").build();
    List<ResourceVersion> versions = client().getResourceHistory(GetResourceHistoryRequest.newBuilder()
        .setKey(web0).build()).getVersionsList();
    assertThat(versions).extracting(v -> v.getType() + "@" + v.getResource().getResourceVersion())
        .containsExactly("CHANGE_TYPE_ADDED@100", "CHANGE_TYPE_MODIFIED@200");
    assertThat(versions.get(1).getPatch()).contains("{\"op\":\"replace\",\"path\":\"/status/phase\","
        + "\"value\":\"Running\"}").contains("/metadata/resourceVersion");
    assertThat(versions.get(0).getPatch()).startsWith("[{\"op\":\"add\"");

    List<ResourceVersion> paged = new ArrayList<>();
    String token = "";
    do {
      var page = client().getResourceHistory(GetResourceHistoryRequest.newBuilder().setKey(web0)
          .setPage(PageRequest.newBuilder().setPageSize(1).setPageToken(token)).build());
      paged.addAll(page.getVersionsList());
      token = page.getPage().getNextPageToken();
    } while (!token.isEmpty());
    assertThat(paged).isEqualTo(versions);

    List<ResourceVersion> deleted = client().getResourceHistory(GetResourceHistoryRequest.newBuilder()
        .setKey(ResourceKey.newBuilder().setUid("uid-web-4")).build()).getVersionsList();
    assertThat(deleted).extracting(ResourceVersion::getType)
        .containsExactly(ChangeType.CHANGE_TYPE_ADDED, ChangeType.CHANGE_TYPE_DELETED);
    assertThat(deleted.get(1).getResource().getDeleted()).isTrue();
  }

  @Test
  void badRequestsAreInvalidArgument() {
    assertThatThrownBy(() -> client().listResources(ListResourcesRequest.newBuilder().setKind("Pod")
        .setLabelSelector("app in (a,").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("label_selector").contains("at character 11");
        });
    assertThatThrownBy(() -> client().listResources(ListResourcesRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getDescription()).contains("`kind` is required"));
    assertThatThrownBy(() -> client().getResource(GetResourceRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void relatedTelemetryGivesResourceAttributeMatchers() {
    var matchers = client().getRelatedTelemetry(GetRelatedTelemetryRequest.newBuilder().setKind("Deployment")
        .setNamespace("shop").setName("web").build()).getMatchersList();
    assertThat(matchers).extracting(m -> m.getKey() + "=" + m.getValue())
        .containsExactly("k8s.namespace.name=shop", "k8s.deployment.name=web");
  }
}
