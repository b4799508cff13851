/** Test helpers that build OTLP protobuf values tersely. */
package com.kubetelemetry.ingest.mapping;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;

final class Otlp {
  private Otlp() {}

  static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  static AnyValue integer(long v) {
    return AnyValue.newBuilder().setIntValue(v).build();
  }

  static AnyValue dbl(double v) {
    return AnyValue.newBuilder().setDoubleValue(v).build();
  }

  static AnyValue bool(boolean v) {
    return AnyValue.newBuilder().setBoolValue(v).build();
  }

  static AnyValue bytes(byte... v) {
    return AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(v)).build();
  }

  static AnyValue array(AnyValue... values) {
    ArrayValue.Builder array = ArrayValue.newBuilder();
    for (AnyValue v : values) {
      array.addValues(v);
    }
    return AnyValue.newBuilder().setArrayValue(array).build();
  }

  static AnyValue kvlist(KeyValue... entries) {
    KeyValueList.Builder list = KeyValueList.newBuilder();
    for (KeyValue kv : entries) {
      list.addValues(kv);
    }
    return AnyValue.newBuilder().setKvlistValue(list).build();
  }

  static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static KeyValue kv(String key, String value) {
    return kv(key, str(value));
  }

  static Resource resource(KeyValue... attributes) {
    Resource.Builder resource = Resource.newBuilder();
    for (KeyValue kv : attributes) {
      resource.addAttributes(kv);
    }
    return resource.build();
  }

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static ByteString zeros(int bytes) {
    return ByteString.copyFrom(new byte[bytes]);
  }
}
