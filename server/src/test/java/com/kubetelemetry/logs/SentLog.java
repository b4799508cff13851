/** One log record a test sent over OTLP, as the test remembers it, and how to send a batch of them. */
package com.kubetelemetry.logs;

import com.google.protobuf.ByteString;
import com.kubetelemetry.api.v1.Attribute;
import com.kubetelemetry.api.v1.AttributeValue;
import com.kubetelemetry.api.v1.LogRecord;
import com.kubetelemetry.api.v1.Severity;
import com.kubetelemetry.query.logs.LogSeverity;
import com.kubetelemetry.read.ProtoQueries;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code traceId} is 32 hex characters or empty; attributes are text. */
record SentLog(String tenant, long timeNanos, String service, String body, int severity, String traceId,
    Map<String, String> attributes) {

  /** Sends {@code logs} in one export (one resource per record) and checks that none was rejected. */
  static void send(String uri, List<SentLog> logs) {
    ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
    for (SentLog s : logs) {
      io.opentelemetry.proto.logs.v1.LogRecord.Builder record = io.opentelemetry.proto.logs.v1.LogRecord
          .newBuilder().setTimeUnixNano(s.timeNanos()).setSeverityNumberValue(s.severity())
          .setSeverityText("S" + s.severity()).setBody(AnyValue.newBuilder().setStringValue(s.body()));
      if (!s.traceId().isEmpty()) {
        record.setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(s.traceId())));
      }
      s.attributes().forEach((k, v) -> record.addAttributes(text(k, v)));
      request.addResourceLogs(ResourceLogs.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(text("service.name", s.service()))
              .addAttributes(text("tenant.id", s.tenant())))
          .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record)));
    }
    ExportLogsServiceResponse response = GrpcClients.newClient(uri, LogsServiceGrpc.LogsServiceBlockingStub.class)
        .export(request.build());
    if (response.hasPartialSuccess() && response.getPartialSuccess().getRejectedLogRecords() > 0) {
      throw new AssertionError("records rejected: " + response.getPartialSuccess());
    }
  }

  /** The record the API should return for this one (resource attributes as ingest stores them). */
  LogRecord expected() {
    LogRecord.Builder b = LogRecord.newBuilder().setTimestamp(ProtoQueries.timestamp(timeNanos))
        .setTraceId(traceId).setSeverityText("S" + severity).setSeverityNumber(severity)
        .setSeverity(Severity.forNumber(LogSeverity.ofNumber(severity).ordinal())).setServiceName(service)
        .setBody(body);
    new TreeMap<>(attributes).forEach((k, v) -> b.addAttributes(Attribute.newBuilder().setKey(k)
        .setValue(AttributeValue.newBuilder().setStringValue(v))));
    return b.build();
  }

  /** A returned record with the fields this test does not send cleared, to compare with {@link #expected}. */
  static LogRecord comparable(LogRecord r) {
    return r.toBuilder().clearResourceAttributes().clearScopeAttributes().clearScopeName().clearScopeVersion()
        .clearResourceSchemaUrl().clearScopeSchemaUrl().build();
  }

  private static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
