/** One read answered alike over gRPC, gRPC-Web (binary and text), plain JSON POST, and a reflection-only client. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.kubetelemetry.api.v1.SearchTracesRequest;
import com.kubetelemetry.api.v1.SearchTracesResponse;
import com.kubetelemetry.api.v1.TracesServiceGrpc;
import com.kubetelemetry.auth.TenantResolver;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ApiProtocolsTest {
  private static final String TENANT = "protocols";
  private static final SearchTracesRequest REQUEST = SearchTracesRequest.newBuilder().setServiceName("cart").build();

  @RegisterExtension
  static final TestServer server = TestServer.create(new StorageBackendFactory());

  private static SearchTracesResponse viaGrpc;

  @BeforeAll
  static void sendTracesAndAskOverGrpc() {
    long now = System.currentTimeMillis() * 1_000_000L;
    var export = GrpcClients.newClient(server.uri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    for (int i = 0; i < 3; i++) {
      export.export(ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(text("service.name", "cart"))
              .addAttributes(text("tenant.id", TENANT)))
          .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
              .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                  (byte) i}))
              .setSpanId(ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, (byte) i}))
              .setName("GET /cart").setStartTimeUnixNano(now - i * 1_000_000_000L)
              .setEndTimeUnixNano(now - i * 1_000_000_000L + 5_000_000L)))).build());
    }
    viaGrpc = GrpcClients.builder(server.uri()).addHeader(TenantResolver.TENANT_HEADER, TENANT)
        .build(TracesServiceGrpc.TracesServiceBlockingStub.class).searchTraces(REQUEST);
    assertThat(viaGrpc.getTracesCount()).isEqualTo(3);
  }

  @Test
  void grpcWebBinaryAndTextGiveTheSameTraces() {
    for (var format : List.of(GrpcSerializationFormats.PROTO_WEB, GrpcSerializationFormats.PROTO_WEB_TEXT)) {
      SearchTracesResponse got = GrpcClients.builder(server.uri()).serializationFormat(format)
          .addHeader(TenantResolver.TENANT_HEADER, TENANT)
          .build(TracesServiceGrpc.TracesServiceBlockingStub.class).searchTraces(REQUEST);
      assertThat(got.getTracesList()).as(format.uriText()).isEqualTo(viaGrpc.getTracesList());
    }
  }

  @Test
  void plainJsonPostGivesTheSameTraces() throws InvalidProtocolBufferException {
    AggregatedHttpResponse response = WebClient.of(server.uri()).execute(RequestHeaders.builder(HttpMethod.POST,
            "/telemetry.v1.TracesService/SearchTraces").contentType(MediaType.JSON_UTF_8)
            .add(TenantResolver.TENANT_HEADER, TENANT).build(), "{\"serviceName\": \"cart\"}")
        .aggregate().join();
    assertThat(response.status()).isEqualTo(HttpStatus.OK);
    SearchTracesResponse.Builder parsed = SearchTracesResponse.newBuilder();
    JsonFormat.parser().merge(response.contentUtf8(), parsed);
    assertThat(parsed.getTracesList()).isEqualTo(viaGrpc.getTracesList());
  }

  /**
   * A client that knows no .proto file: it lists services through reflection, fetches the descriptors of
   * TracesService, builds the request from JSON and calls SearchTraces with dynamic messages.
   */
  @Test
  void reflectionAloneIsEnoughToListServicesAndSearchTraces() throws Exception {
    // Armeria's gRPC client as a plain io.grpc.Channel: no generated stub of ours is involved.
    Channel channel = GrpcClients.newClient(server.uri(), ServerReflectionGrpc.ServerReflectionStub.class)
        .getChannel();
    List<ServerReflectionResponse> listed = reflect(channel, ServerReflectionRequest.newBuilder()
        .setListServices("").build());
    List<String> services = listed.getFirst().getListServicesResponse().getServiceList().stream()
        .map(s -> s.getName()).toList();
    assertThat(services).contains("telemetry.v1.TracesService", "grpc.reflection.v1.ServerReflection");

    List<ServerReflectionResponse> files = reflect(channel, ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol("telemetry.v1.TracesService").build());
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    for (ByteString b : files.getFirst().getFileDescriptorResponse().getFileDescriptorProtoList()) {
      FileDescriptorProto p = FileDescriptorProto.parseFrom(b);
      protos.put(p.getName(), p);
    }
    FileDescriptor traces = build("telemetry/v1/traces.proto", protos, new HashMap<>());
    ServiceDescriptor service = traces.findServiceByName("TracesService");
    MethodDescriptor search = service.findMethodByName("SearchTraces");

    DynamicMessage.Builder request = DynamicMessage.newBuilder(search.getInputType());
    JsonFormat.parser().merge("{\"serviceName\": \"cart\"}", request);
    io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> call = io.grpc.MethodDescriptor
        .<DynamicMessage, DynamicMessage>newBuilder().setType(MethodType.UNARY)
        .setFullMethodName("telemetry.v1.TracesService/SearchTraces")
        .setRequestMarshaller(new DynamicMarshaller(search.getInputType()))
        .setResponseMarshaller(new DynamicMarshaller(search.getOutputType())).build();
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of(TenantResolver.TENANT_HEADER, Metadata.ASCII_STRING_MARSHALLER), TENANT);
    DynamicMessage answer = ClientCalls.blockingUnaryCall(
        io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)), call,
        CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request.build());
    String json = JsonFormat.printer().print(answer);
    SearchTracesResponse.Builder typed = SearchTracesResponse.newBuilder();
    JsonFormat.parser().merge(json, typed);
    assertThat(typed.getTracesList()).isEqualTo(viaGrpc.getTracesList());
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built) throws Exception {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    assertThat(proto).as("reflection sent " + name).isNotNull();
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, protos, built));
    }
    FileDescriptor file = FileDescriptor.buildFrom(proto, deps.toArray(FileDescriptor[]::new));
    built.put(name, file);
    return file;
  }

  private static List<ServerReflectionResponse> reflect(Channel channel, ServerReflectionRequest request) {
    CompletableFuture<List<ServerReflectionResponse>> done = new CompletableFuture<>();
    List<ServerReflectionResponse> answers = new ArrayList<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            answers.add(value);
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(answers);
          }
        });
    requests.onNext(request);
    requests.onCompleted();
    return done.orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Marshals dynamic messages of one type. */
  private record DynamicMarshaller(com.google.protobuf.Descriptors.Descriptor type)
      implements io.grpc.MethodDescriptor.Marshaller<DynamicMessage> {
    @Override
    public InputStream stream(DynamicMessage value) {
      return new ByteArrayInputStream(value.toByteArray());
    }

    @Override
    public DynamicMessage parse(InputStream stream) {
      try {
        return DynamicMessage.parseFrom(type, stream);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
