/** Log mapping against the real otel_logs table: every column, every body kind, validation and tenants. */
package com.kubetelemetry.ingest.mapping;

import static com.kubetelemetry.ingest.mapping.Otlp.array;
import static com.kubetelemetry.ingest.mapping.Otlp.bool;
import static com.kubetelemetry.ingest.mapping.Otlp.bytes;
import static com.kubetelemetry.ingest.mapping.Otlp.dbl;
import static com.kubetelemetry.ingest.mapping.Otlp.id;
import static com.kubetelemetry.ingest.mapping.Otlp.integer;
import static com.kubetelemetry.ingest.mapping.Otlp.kv;
import static com.kubetelemetry.ingest.mapping.Otlp.kvlist;
import static com.kubetelemetry.ingest.mapping.Otlp.resource;
import static com.kubetelemetry.ingest.mapping.Otlp.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogRowMapperTest {
  private static final long TIME = 1_700_000_000_000_000_001L;
  private static final WriteScope TENANT_A = new WriteScope("tenant-a", false);
  private static final String SELECT = "SELECT TenantId, toUnixTimestamp64Nano(Timestamp) AS ts, TraceId, SpanId,"
      + " TraceFlags, SeverityText, SeverityNumber, ServiceName, Body, ResourceSchemaUrl, ResourceAttributes,"
      + " ScopeSchemaUrl, ScopeName, ScopeVersion, ScopeAttributes, LogAttributes, EventName"
      + " FROM otel.otel_logs ORDER BY ts, Body";

  private OtelTables tables;
  private final LogRowMapper mapper = new LogRowMapper(MappingLimits.unlimited());

  @BeforeAll
  void open(@TempDir Path dir) {
    tables = new OtelTables(dir);
  }

  @AfterAll
  void close() {
    tables.close();
  }

  @BeforeEach
  void empty() {
    tables.truncate("otel_logs");
  }

  private static ExportLogsServiceRequest request(Resource resource, LogRecord... logs) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(resource)
        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(logs)))).build();
  }

  private static LogRecord.Builder log(String body) {
    return LogRecord.newBuilder().setTimeUnixNano(TIME).setBody(str(body));
  }

  @Test
  void mapsEveryColumn() {
    LogRecord record = LogRecord.newBuilder().setTimeUnixNano(TIME).setObservedTimeUnixNano(TIME + 5)
        .setTraceId(id("0102030405060708090a0b0c0d0e0f10")).setSpanId(id("a1a2a3a4a5a6a7a8"))
        .setFlags(0x301).setSeverityText("WARN").setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
        .setBody(str("disk almost full: 91%")).addAttributes(kv("path", "/var")).addAttributes(kv("free", dbl(0.09)))
        .setEventName("disk.pressure").build();
    ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
            .setResource(resource(kv("service.name", "node-agent"), kv("k8s.node.name", "n1")))
            .addScopeLogs(ScopeLogs.newBuilder().setSchemaUrl("https://scope/schema")
                .setScope(InstrumentationScope.newBuilder().setName("agent.disk").setVersion("0.9")
                    .addAttributes(kv("scope.attr", bool(true))))
                .addLogRecords(record)))
        .build();

    MappedExport export = mapper.map(TENANT_A, request);

    assertThat(export.acceptedItems()).isEqualTo(1);
    assertThat(export.rejectedItems()).isZero();
    OtelTables.assertSingleBlock(export, "otel_logs", 1);
    tables.insert(export);
    JsonNode row = tables.rows(SELECT).getFirst();
    assertThat(row.get("TenantId").asText()).isEqualTo("tenant-a");
    assertThat(row.get("ts").asText()).isEqualTo(Long.toString(TIME));
    assertThat(row.get("TraceId").asText()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
    assertThat(row.get("SpanId").asText()).isEqualTo("a1a2a3a4a5a6a7a8");
    assertThat(row.get("TraceFlags").asInt()).isEqualTo(1);
    assertThat(row.get("SeverityText").asText()).isEqualTo("WARN");
    assertThat(row.get("SeverityNumber").asInt()).isEqualTo(13);
    assertThat(row.get("ServiceName").asText()).isEqualTo("node-agent");
    assertThat(row.get("Body").asText()).isEqualTo("disk almost full: 91%");
    assertThat(row.get("ResourceSchemaUrl").asText()).isEqualTo("https://opentelemetry.io/schemas/1.26.0");
    assertThat(OtelTables.map(row.get("ResourceAttributes")))
        .containsExactly(entry("service.name", "node-agent"), entry("k8s.node.name", "n1"));
    assertThat(row.get("ScopeSchemaUrl").asText()).isEqualTo("https://scope/schema");
    assertThat(row.get("ScopeName").asText()).isEqualTo("agent.disk");
    assertThat(row.get("ScopeVersion").asText()).isEqualTo("0.9");
    assertThat(OtelTables.map(row.get("ScopeAttributes"))).containsExactly(entry("scope.attr", "true"));
    assertThat(OtelTables.map(row.get("LogAttributes"))).containsExactly(entry("path", "/var"), entry("free", "0.09"));
    assertThat(row.get("EventName").asText()).isEqualTo("disk.pressure");
  }

  @Test
  void everyBodyKindIsFlattened() {
    AnyValue[] bodies = {str("text"), bool(true), integer(-7), dbl(2.5), bytes((byte) 0xFB, (byte) 0xFF),
        array(str("x"), integer(2)), kvlist(kv("b", integer(1)), kv("a", str("<tag>"))),
        AnyValue.getDefaultInstance()};
    LogRecord[] logs = new LogRecord[bodies.length];
    for (int i = 0; i < bodies.length; i++) {
      logs[i] = LogRecord.newBuilder().setTimeUnixNano(TIME + i).setBody(bodies[i]).build();
    }
    tables.insert(mapper.map(TENANT_A, request(Resource.getDefaultInstance(), logs)));
    assertThat(tables.rows(SELECT)).extracting(r -> r.get("Body").asText()).containsExactly("text", "true", "-7",
        "2.5", "+/8=", "[\"x\",2]", "{\"a\":\"\\u003ctag\\u003e\",\"b\":1}", "");
  }

  @Test
  void usesObservedTimeWhenTimeIsMissingAndWritesEmptyIds() {
    tables.insert(mapper.map(TENANT_A, request(Resource.getDefaultInstance(),
        LogRecord.newBuilder().setObservedTimeUnixNano(TIME + 99).setBody(str("observed only")).build())));
    JsonNode row = tables.rows(SELECT).getFirst();
    assertThat(row.get("ts").asText()).isEqualTo(Long.toString(TIME + 99));
    assertThat(row.get("TraceId").asText()).isEmpty();
    assertThat(row.get("SpanId").asText()).isEmpty();
    assertThat(row.get("TraceFlags").asInt()).isZero();
    assertThat(row.get("SeverityNumber").asInt()).isZero();
    assertThat(row.get("EventName").asText()).isEmpty();
  }

  @Test
  void rejectsInvalidRecordsAndKeepsTheRest() {
    ExportLogsServiceRequest request = request(Resource.getDefaultInstance(),
        log("ok-1").build(),
        log("bad trace").setTraceId(ByteString.copyFrom(new byte[5])).build(),
        log("bad span").setSpanId(ByteString.copyFrom(new byte[16])).build(),
        LogRecord.newBuilder().setBody(str("no time")).build(),
        log("ok-2").setTraceId(id("0102030405060708090a0b0c0d0e0f10")).setSpanId(id("a1a2a3a4a5a6a7a8")).build());

    MappedExport export = mapper.map(TENANT_A, request);

    assertThat(export.acceptedItems()).isEqualTo(2);
    assertThat(export.rejectedItems()).isEqualTo(3);
    assertThat(export.rejectionMessage()).isEqualTo("3 log records rejected: log record has a trace id of 5 bytes"
        + " (must be 16, or empty); log record has a span id of 16 bytes (must be 8, or empty); log record has no"
        + " time (time_unix_nano and observed_time_unix_nano are both 0)");
    tables.insert(export);
    assertThat(tables.rows(SELECT)).extracting(r -> r.get("Body").asText()).containsExactly("ok-1", "ok-2");
  }

  @Test
  void tenantAttributeIsHonouredOnlyWhenTheScopeAllowsIt() {
    ExportLogsServiceRequest request = request(resource(kv("tenant.id", "tenant-b")), log("x").build());
    tables.insert(mapper.map(new WriteScope("collector", true), request));
    tables.insert(mapper.map(new WriteScope("tenant-a", false), request));
    assertThat(tables.rows(SELECT)).extracting(r -> r.get("TenantId").asText())
        .containsExactlyInAnyOrder("tenant-b", "tenant-a");
  }

  @Test
  void truncatesAttributesButNotTheBody() {
    LogRowMapper limited = new LogRowMapper(new MappingLimits(3));
    tables.insert(limited.map(TENANT_A, request(Resource.getDefaultInstance(),
        log("a body longer than the limit").addAttributes(kv("k", "abcdef")).build())));
    JsonNode row = tables.rows(SELECT).getFirst();
    assertThat(row.get("Body").asText()).isEqualTo("a body longer than the limit");
    assertThat(OtelTables.map(row.get("LogAttributes"))).containsExactly(entry("k", "abc"));
  }
}
