/** Writes OTLP attribute lists into map columns, flattening values and applying the value-length limit. */
package com.kubetelemetry.ingest.mapping;

import com.kubetelemetry.storage.nativeformat.EncodedMap;
import com.kubetelemetry.storage.nativeformat.NativeColumn;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/**
 * Keys are kept as sent, in order (duplicates too, as the exporter writes them); values go through
 * {@link AnyValueText}. String values are written straight from the protobuf string, cut to the limit without
 * copying.
 */
final class AttributeWriter {
  private final int limit;

  AttributeWriter(MappingLimits limits) {
    this.limit = limits.maxAttributeValueLength();
  }

  /** Adds the entries of one map to the current row of {@code column} (the caller ends the row). */
  void put(List<KeyValue> attributes, NativeColumn.MapColumn column) {
    for (int i = 0, n = attributes.size(); i < n; i++) {
      KeyValue kv = attributes.get(i);
      AnyValue value = kv.getValue();
      if (value.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
        String text = value.getStringValue();
        column.put(kv.getKey(), text, AnyValueText.truncatedLength(text, limit));
      } else {
        column.put(kv.getKey(), AnyValueText.asString(value, limit));
      }
    }
  }

  /** Adds one map as the next element of the current row of {@code column}, and ends that element. */
  void putElement(List<KeyValue> attributes, NativeColumn.MapArrayColumn column) {
    for (int i = 0, n = attributes.size(); i < n; i++) {
      KeyValue kv = attributes.get(i);
      AnyValue value = kv.getValue();
      if (value.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
        String text = value.getStringValue();
        column.put(kv.getKey(), text, AnyValueText.truncatedLength(text, limit));
      } else {
        column.put(kv.getKey(), AnyValueText.asString(value, limit));
      }
    }
    column.endElement();
  }

  /** Encodes a map once, for attributes shared by many rows (resource, scope). */
  EncodedMap encode(List<KeyValue> attributes) {
    EncodedMap map = new EncodedMap();
    for (KeyValue kv : attributes) {
      AnyValue value = kv.getValue();
      if (value.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
        String text = value.getStringValue();
        map.put(kv.getKey(), text, AnyValueText.truncatedLength(text, limit));
      } else {
        map.put(kv.getKey(), AnyValueText.asString(value, limit));
      }
    }
    return map;
  }

  /** The flattened value of the first attribute named {@code key}, or "" when there is none. */
  String valueOf(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return AnyValueText.asString(kv.getValue(), limit);
      }
    }
    return "";
  }
}
