/** Trace mapping against the real otel_traces table: every column, validation, tenants and truncation. */
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
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceRowMapperTest {
  private static final String TRACE = "0102030405060708090a0b0c0d0e0f10";
  private static final String SPAN = "a1a2a3a4a5a6a7a8";
  private static final String PARENT = "b1b2b3b4b5b6b7b8";
  private static final long START = 1_700_000_000_123_456_789L;
  private static final WriteScope TENANT_A = new WriteScope("tenant-a", false);
  private static final String SELECT = "SELECT TenantId, toUnixTimestamp64Nano(Timestamp) AS ts, TraceId, SpanId,"
      + " ParentSpanId, TraceState, SpanName, SpanKind, ServiceName, ResourceAttributes, ScopeName, ScopeVersion,"
      + " SpanAttributes, Duration, StatusCode, StatusMessage,"
      + " arrayMap(t -> toUnixTimestamp64Nano(t), Events.Timestamp) AS evTs, Events.Name AS evName,"
      + " Events.Attributes AS evAttrs, Links.TraceId AS lTrace, Links.SpanId AS lSpan,"
      + " Links.TraceState AS lState, Links.Attributes AS lAttrs FROM otel.otel_traces ORDER BY SpanName";

  private OtelTables tables;
  private final TraceRowMapper mapper = new TraceRowMapper(MappingLimits.unlimited());

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
    tables.truncate("otel_traces");
  }

  private static Span.Builder validSpan(String name) {
    return Span.newBuilder().setTraceId(id(TRACE)).setSpanId(id(SPAN)).setName(name)
        .setStartTimeUnixNano(START).setEndTimeUnixNano(START + 1500);
  }

  private static ExportTraceServiceRequest request(Resource resource, Span... spans) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))).build();
  }

  @Test
  void mapsEveryColumn() {
    Span span = validSpan("GET /orders/{id}").setParentSpanId(id(PARENT)).setTraceState("vendor=x")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER).setEndTimeUnixNano(START + 2_500_000)
        .addAttributes(kv("http.method", "GET")).addAttributes(kv("http.status_code", integer(200)))
        .addAttributes(kv("ratio", dbl(0.25))).addAttributes(kv("cached", bool(false)))
        .addAttributes(kv("raw", bytes((byte) 1, (byte) 2))).addAttributes(kv("tags", array(str("a"), integer(1))))
        .addAttributes(kv("obj", kvlist(kv("k", str("v")))))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom ✗"))
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(START + 10).setName("exception")
            .addAttributes(kv("exception.type", "IOException")))
        .addEvents(Span.Event.newBuilder().setTimeUnixNano(START + 20).setName("retry"))
        .addLinks(Span.Link.newBuilder().setTraceId(id("ffeeddccbbaa99887766554433221100"))
            .setSpanId(id("0011223344556677")).setTraceState("l=1").addAttributes(kv("link.kind", "follows")))
        .build();
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(resource(kv("service.name", "checkout"), kv("host.cores", integer(8))))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.okhttp").setVersion("1.2.3"))
                .addSpans(span)))
        .build();

    MappedExport export = mapper.map(TENANT_A, request);

    assertThat(export.acceptedItems()).isEqualTo(1);
    assertThat(export.rejectedItems()).isZero();
    assertThat(export.rejectionMessage()).isEmpty();
    OtelTables.assertSingleBlock(export, "otel_traces", 1);
    tables.insert(export);
    List<JsonNode> rows = tables.rows(SELECT);
    assertThat(rows).hasSize(1);
    JsonNode row = rows.getFirst();
    assertThat(row.get("TenantId").asText()).isEqualTo("tenant-a");
    assertThat(row.get("ts").asText()).isEqualTo(Long.toString(START));
    assertThat(row.get("TraceId").asText()).isEqualTo(TRACE);
    assertThat(row.get("SpanId").asText()).isEqualTo(SPAN);
    assertThat(row.get("ParentSpanId").asText()).isEqualTo(PARENT);
    assertThat(row.get("TraceState").asText()).isEqualTo("vendor=x");
    assertThat(row.get("SpanName").asText()).isEqualTo("GET /orders/{id}");
    assertThat(row.get("SpanKind").asText()).isEqualTo("Server");
    assertThat(row.get("ServiceName").asText()).isEqualTo("checkout");
    assertThat(OtelTables.map(row.get("ResourceAttributes")))
        .containsExactly(entry("service.name", "checkout"), entry("host.cores", "8"));
    assertThat(row.get("ScopeName").asText()).isEqualTo("io.opentelemetry.okhttp");
    assertThat(row.get("ScopeVersion").asText()).isEqualTo("1.2.3");
    assertThat(OtelTables.map(row.get("SpanAttributes"))).containsExactly(entry("http.method", "GET"),
        entry("http.status_code", "200"), entry("ratio", "0.25"), entry("cached", "false"), entry("raw", "AQI="),
        entry("tags", "[\"a\",1]"), entry("obj", "{\"k\":\"v\"}"));
    assertThat(row.get("Duration").asText()).isEqualTo("2500000");
    assertThat(row.get("StatusCode").asText()).isEqualTo("Error");
    assertThat(row.get("StatusMessage").asText()).isEqualTo("boom ✗");
    assertThat(OtelTables.strings(row.get("evTs"))).containsExactly(Long.toString(START + 10),
        Long.toString(START + 20));
    assertThat(OtelTables.strings(row.get("evName"))).containsExactly("exception", "retry");
    assertThat(OtelTables.map(row.get("evAttrs").get(0))).containsExactly(entry("exception.type", "IOException"));
    assertThat(row.get("evAttrs").get(1).size()).isZero();
    assertThat(OtelTables.strings(row.get("lTrace"))).containsExactly("ffeeddccbbaa99887766554433221100");
    assertThat(OtelTables.strings(row.get("lSpan"))).containsExactly("0011223344556677");
    assertThat(OtelTables.strings(row.get("lState"))).containsExactly("l=1");
    assertThat(OtelTables.map(row.get("lAttrs").get(0))).containsExactly(entry("link.kind", "follows"));
  }

  @Test
  void writesDefaultsForAbsentFieldsAndEveryKindAndStatus() {
    Span.SpanKind[] kinds = {Span.SpanKind.SPAN_KIND_UNSPECIFIED, Span.SpanKind.SPAN_KIND_INTERNAL,
        Span.SpanKind.SPAN_KIND_SERVER, Span.SpanKind.SPAN_KIND_CLIENT, Span.SpanKind.SPAN_KIND_PRODUCER,
        Span.SpanKind.SPAN_KIND_CONSUMER};
    Status.StatusCode[] codes = {Status.StatusCode.STATUS_CODE_UNSET, Status.StatusCode.STATUS_CODE_OK,
        Status.StatusCode.STATUS_CODE_ERROR};
    Span[] spans = new Span[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      spans[i] = validSpan("s" + i).setKind(kinds[i])
          .setStatus(Status.newBuilder().setCode(codes[i % codes.length])).setEndTimeUnixNano(i == 0 ? 0 : START + i)
          .build();
    }
    MappedExport export = mapper.map(TENANT_A, request(Resource.getDefaultInstance(), spans));
    tables.insert(export);
    List<JsonNode> rows = tables.rows(SELECT);
    assertThat(rows).extracting(r -> r.get("SpanKind").asText())
        .containsExactly("Unspecified", "Internal", "Server", "Client", "Producer", "Consumer");
    assertThat(rows).extracting(r -> r.get("StatusCode").asText())
        .containsExactly("Unset", "Ok", "Error", "Unset", "Ok", "Error");
    JsonNode first = rows.getFirst();
    assertThat(first.get("Duration").asText()).as("end before start").isEqualTo("0");
    assertThat(rows.get(3).get("Duration").asText()).isEqualTo("3");
    assertThat(first.get("ParentSpanId").asText()).isEmpty();
    assertThat(first.get("ServiceName").asText()).isEmpty();
    assertThat(first.get("ScopeName").asText()).isEmpty();
    assertThat(first.get("ResourceAttributes").size()).isZero();
    assertThat(first.get("evName").size()).isZero();
    assertThat(first.get("lTrace").size()).isZero();
  }

  @Test
  void rejectsInvalidSpansAndKeepsTheRest() {
    ExportTraceServiceRequest request = request(resource(kv("service.name", "svc")),
        validSpan("ok-1").build(),
        validSpan("GET /x").setTraceId(ByteString.copyFrom(new byte[5])).build(),
        validSpan("empty trace").setTraceId(ByteString.EMPTY).build(),
        validSpan("short span").setSpanId(ByteString.copyFrom(new byte[4])).build(),
        validSpan("bad parent").setParentSpanId(ByteString.copyFrom(new byte[3])).build(),
        validSpan("no start").setStartTimeUnixNano(0).build(),
        validSpan("ok-2").setParentSpanId(id(PARENT)).build());

    MappedExport export = mapper.map(TENANT_A, request);

    assertThat(export.acceptedItems()).isEqualTo(2);
    assertThat(export.rejectedItems()).isEqualTo(5);
    assertThat(export.rejectionMessage()).isEqualTo("5 spans rejected: span 'GET /x' has a trace id of 5 bytes"
        + " (must be 16); span 'empty trace' has a trace id of 0 bytes (must be 16); span 'short span' has a span"
        + " id of 4 bytes (must be 8); and 2 more problems");
    OtelTables.assertSingleBlock(export, "otel_traces", 2);
    tables.insert(export);
    assertThat(tables.rows(SELECT)).extracting(r -> r.get("SpanName").asText()).containsExactly("ok-1", "ok-2");
  }

  @Test
  void eachRuleOnItsOwn() {
    assertThat(TraceRowMapper.problem(validSpan("p").setParentSpanId(ByteString.copyFrom(new byte[9])).build()))
        .isEqualTo("span 'p' has a parent span id of 9 bytes (must be 8, or empty for a root span)");
    assertThat(TraceRowMapper.problem(validSpan("t").setStartTimeUnixNano(0).build()))
        .isEqualTo("span 't' has no start time (start_time_unix_nano is 0)");
    assertThat(TraceRowMapper.problem(validSpan("v").build())).isNull();
    MappedExport one = mapper.map(TENANT_A, request(Resource.getDefaultInstance(),
        validSpan("x").setSpanId(ByteString.EMPTY).build()));
    assertThat(one.rejectedItems()).isEqualTo(1);
    assertThat(one.acceptedItems()).isZero();
    assertThat(one.blocksByTable()).isEmpty();
    assertThat(one.rejectionMessage()).isEqualTo("1 span rejected: span 'x' has a span id of 0 bytes (must be 8)");
  }

  @Test
  void blocksOfDifferentExportsShareColumnsAndGoInOneInsert() {
    MappedExport first = mapper.map(TENANT_A, request(resource(kv("service.name", "a")), validSpan("one").build()));
    MappedExport second = mapper.map(new WriteScope("tenant-b", false), request(Resource.getDefaultInstance(),
        validSpan("two").addEvents(Span.Event.newBuilder().setName("e").setTimeUnixNano(START)).build(),
        validSpan("three").build()));
    tables.store.insert("otel_traces", List.of(first.blocksByTable().get("otel_traces"),
        second.blocksByTable().get("otel_traces")));
    assertThat(tables.rows(SELECT)).extracting(r -> r.get("SpanName").asText() + "/" + r.get("TenantId").asText()
        + "/" + r.get("evName").size()).containsExactly("one/tenant-a/0", "three/tenant-b/0", "two/tenant-b/1");
  }

  @Test
  void emptyRequestMapsToNothing() {
    MappedExport export = mapper.map(TENANT_A, ExportTraceServiceRequest.getDefaultInstance());
    assertThat(export.blocksByTable()).isEmpty();
    assertThat(export.acceptedItems()).isZero();
    assertThat(export.rejectedItems()).isZero();
  }

  @Test
  void tenantAttributeIsHonouredOnlyWhenTheScopeAllowsIt() {
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource(kv("tenant.id", "tenant-b")))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(validSpan("named"))))
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource(kv("tenant.id", "")))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(validSpan("empty"))))
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource(kv("tenant.id", integer(7))))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(validSpan("not a string"))))
        .build();

    tables.insert(mapper.map(new WriteScope("collector", true), request));
    assertThat(tables.rows(SELECT)).extracting(r -> r.get("SpanName").asText() + "=" + r.get("TenantId").asText())
        .containsExactly("empty=collector", "named=tenant-b", "not a string=collector");

    tables.truncate("otel_traces");
    tables.insert(mapper.map(new WriteScope("tenant-a", false), request));
    assertThat(tables.rows(SELECT)).extracting(r -> r.get("TenantId").asText())
        .containsExactly("tenant-a", "tenant-a", "tenant-a");
  }

  @Test
  void truncatesLongStringAttributeValues() {
    TraceRowMapper limited = new TraceRowMapper(new MappingLimits(4));
    Span span = validSpan("limited").addAttributes(kv("long", "abcdefgh")).addAttributes(kv("short", "abc"))
        .addAttributes(kv("number", integer(123456789))).addAttributes(kv("list", array(str("abcdefgh"))))
        .addEvents(Span.Event.newBuilder().setName("e").setTimeUnixNano(START).addAttributes(kv("ev", "123456")))
        .build();
    tables.insert(limited.map(TENANT_A, request(resource(kv("service.name", "a-long-service")), span)));
    JsonNode row = tables.rows(SELECT).getFirst();
    assertThat(OtelTables.map(row.get("SpanAttributes"))).containsExactly(entry("long", "abcd"),
        entry("short", "abc"), entry("number", "123456789"), entry("list", "[\"abcd\"]"));
    assertThat(OtelTables.map(row.get("ResourceAttributes"))).containsExactly(entry("service.name", "a-lo"));
    assertThat(row.get("ServiceName").asText()).isEqualTo("a-lo");
    assertThat(row.get("SpanName").asText()).as("names are not attributes").isEqualTo("limited");
    assertThat(OtelTables.map(row.get("evAttrs").get(0))).containsExactly(entry("ev", "1234"));
  }
}
