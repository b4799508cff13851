/** OTLP/HTTP: POST /v1/traces, /v1/metrics, /v1/logs with protobuf or JSON bodies, answered in the same encoding. */
package com.kubetelemetry.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.ingest.OtlpIngest;
import com.kubetelemetry.ingest.mapping.WriteScope;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Follows the OTLP/HTTP spec: 200 with the export response; 400 with a {@code google.rpc.Status} body for a
 * malformed request; 415 for an unsupported content type; 429 (with Retry-After) when ingest is throttling;
 * 503 (with Retry-After) when storage is unavailable. Bodies larger than the server's maximum request length get
 * 413 from Armeria; gzip bodies are decoded by the DecodingService decorator in front of this service.
 */
public final class OtlpHttpService implements HttpService {
  /** Seconds a throttled client is asked to wait before retrying. */
  static final String THROTTLED_RETRY_AFTER = "1";
  /** Seconds a client is asked to wait when storage is unavailable. */
  static final String UNAVAILABLE_RETRY_AFTER = "5";

  private enum Encoding { PROTOBUF, JSON }

  private final String signal;
  private final Supplier<Message.Builder> newRequest;
  private final BiFunction<WriteScope, Message, CompletableFuture<? extends Message>> export;
  private final TenantResolver tenants;
  private final OtlpJson json;

  private OtlpHttpService(String signal, Supplier<Message.Builder> newRequest,
      BiFunction<WriteScope, Message, CompletableFuture<? extends Message>> export, TenantResolver tenants,
      OtlpJson json) {
    this.signal = signal;
    this.newRequest = newRequest;
    this.export = export;
    this.tenants = tenants;
    this.json = json;
  }

  public static OtlpHttpService traces(OtlpIngest ingest, TenantResolver tenants, OtlpJson json) {
    return new OtlpHttpService("traces", ExportTraceServiceRequest::newBuilder,
        (scope, msg) -> ingest.exportTraces(scope, (ExportTraceServiceRequest) msg), tenants, json);
  }

  public static OtlpHttpService metrics(OtlpIngest ingest, TenantResolver tenants, OtlpJson json) {
    return new OtlpHttpService("metrics", ExportMetricsServiceRequest::newBuilder,
        (scope, msg) -> ingest.exportMetrics(scope, (ExportMetricsServiceRequest) msg), tenants, json);
  }

  public static OtlpHttpService logs(OtlpIngest ingest, TenantResolver tenants, OtlpJson json) {
    return new OtlpHttpService("logs", ExportLogsServiceRequest::newBuilder,
        (scope, msg) -> ingest.exportLogs(scope, (ExportLogsServiceRequest) msg), tenants, json);
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.POST) {
      return HttpResponse.of(ResponseHeaders.of(HttpStatus.METHOD_NOT_ALLOWED, HttpHeaderNames.ALLOW, "POST"));
    }
    Encoding encoding = encodingOf(req.contentType());
    if (encoding == null) {
      MediaType type = req.contentType();
      return error(Encoding.JSON, HttpStatus.UNSUPPORTED_MEDIA_TYPE, Status.Code.INVALID_ARGUMENT,
          "unsupported content type '" + (type == null ? "" : type.toString())
              + "': use application/x-protobuf or application/json", null);
    }
    WriteScope scope = tenants.writeScope(req.headers());
    CompletableFuture<HttpResponse> response = req.aggregate()
        .thenComposeAsync(body -> handle(encoding, scope, body), ctx.blockingTaskExecutor());
    return HttpResponse.of(response);
  }

  private CompletableFuture<HttpResponse> handle(Encoding encoding, WriteScope scope, AggregatedHttpRequest body) {
    Message request;
    try {
      request = parse(encoding, body.content().array());
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          error(encoding, HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, e.getMessage(), null));
    }
    CompletableFuture<? extends Message> result;
    try {
      result = export.apply(scope, request);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(failure(encoding, e));
    }
    return result.handle((message, failure) ->
        failure != null ? failure(encoding, failure) : ok(encoding, message));
  }

  private Message parse(Encoding encoding, byte[] bytes) {
    Message.Builder builder = newRequest.get();
    if (encoding == Encoding.JSON) {
      json.merge(bytes, builder);
      return builder.build();
    }
    try {
      return builder.mergeFrom(bytes).build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("request body is not a valid OTLP protobuf "
          + builder.getDescriptorForType().getName() + ": " + e.getMessage());
    }
  }

  private HttpResponse ok(Encoding encoding, Message message) {
    return encoding == Encoding.JSON
        ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, json.print(message))
        : HttpResponse.of(HttpStatus.OK, MediaType.X_PROTOBUF, message.toByteArray());
  }

  private HttpResponse failure(Encoding encoding, Throwable failure) {
    Status status = IngestFailures.toStatus(failure, signal + " export over HTTP");
    HttpStatus http = IngestFailures.toHttpStatus(status.getCode());
    String retryAfter = switch (status.getCode()) {
      case RESOURCE_EXHAUSTED -> THROTTLED_RETRY_AFTER;
      case UNAVAILABLE -> UNAVAILABLE_RETRY_AFTER;
      default -> null;
    };
    String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
    return error(encoding, http, status.getCode(), message, retryAfter);
  }

  private HttpResponse error(Encoding encoding, HttpStatus http, Status.Code code, String message,
      String retryAfter) {
    com.google.rpc.Status body = com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message).build();
    com.linecorp.armeria.common.ResponseHeadersBuilder headers = ResponseHeaders.builder(http)
        .contentType(encoding == Encoding.JSON ? MediaType.JSON : MediaType.X_PROTOBUF);
    if (retryAfter != null) {
      headers.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
    }
    return encoding == Encoding.JSON
        ? HttpResponse.of(headers.build(), com.linecorp.armeria.common.HttpData.ofUtf8(json.print(body)))
        : HttpResponse.of(headers.build(), com.linecorp.armeria.common.HttpData.wrap(body.toByteArray()));
  }

  private static Encoding encodingOf(MediaType type) {
    if (type == null) {
      return null;
    }
    if (!type.type().equals("application")) {
      return null;
    }
    return switch (type.subtype()) {
      case "x-protobuf", "protobuf" -> Encoding.PROTOBUF;
      case "json" -> Encoding.JSON;
      default -> null;
    };
  }
}
