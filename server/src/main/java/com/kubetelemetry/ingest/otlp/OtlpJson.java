/** OTLP/JSON: protobuf's JSON mapping, except that trace and span ids are hex strings instead of base64. */
package com.kubetelemetry.ingest.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;

/**
 * Reading rewrites every {@code traceId}, {@code spanId} and {@code parentSpanId} (also their snake_case forms)
 * from hex to base64 and then uses protobuf's JSON parser, which accepts enum names or numbers and, as the OTLP
 * spec asks, ignores unknown fields. Writing is protobuf's printer (lowerCamelCase); export responses carry no ids.
 */
public final class OtlpJson {
  private static final Map<String, Integer> ID_BYTES = Map.of(
      "traceId", 16, "trace_id", 16, "spanId", 8, "span_id", 8, "parentSpanId", 8, "parent_span_id", 8);

  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();
  private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();

  /** Parses {@code json} into {@code builder}; throws IllegalArgumentException naming what was wrong. */
  public void merge(byte[] json, Message.Builder builder) {
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("request body must be a JSON object");
    }
    convertIds(root, "");
    try {
      parser.merge(mapper.writeValueAsString(root), builder);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalArgumentException("request body is not a valid OTLP JSON message: " + firstLine(e.getMessage()));
    }
  }

  public String print(MessageOrBuilder message) {
    try {
      return printer.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }

  private static void convertIds(JsonNode node, String path) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        Integer bytes = ID_BYTES.get(field.getKey());
        if (bytes != null && field.getValue().isTextual()) {
          field.setValue(new TextNode(hexToBase64(field.getValue().asText(), bytes, fieldPath)));
        } else {
          convertIds(field.getValue(), fieldPath);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        convertIds(array.get(i), path + "[" + i + "]");
      }
    }
  }

  private static String hexToBase64(String hex, int bytes, String path) {
    if (hex.isEmpty()) {
      return hex;
    }
    if (hex.length() != bytes * 2) {
      throw new IllegalArgumentException(path + ": expected " + (bytes * 2) + " hex digits, got " + hex.length()
          + " characters");
    }
    try {
      return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": expected " + (bytes * 2) + " hex digits, got '" + hex + "'");
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
