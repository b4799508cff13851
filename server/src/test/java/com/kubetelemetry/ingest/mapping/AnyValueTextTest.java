/** AnyValue flattening matches pcommon Value.AsString (and Go's encoding/json) for every value kind. */
package com.kubetelemetry.ingest.mapping;

import static com.kubetelemetry.ingest.mapping.Otlp.array;
import static com.kubetelemetry.ingest.mapping.Otlp.bool;
import static com.kubetelemetry.ingest.mapping.Otlp.bytes;
import static com.kubetelemetry.ingest.mapping.Otlp.dbl;
import static com.kubetelemetry.ingest.mapping.Otlp.integer;
import static com.kubetelemetry.ingest.mapping.Otlp.kv;
import static com.kubetelemetry.ingest.mapping.Otlp.kvlist;
import static com.kubetelemetry.ingest.mapping.Otlp.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import org.junit.jupiter.api.Test;

class AnyValueTextTest {
  private static String text(AnyValue value) {
    return AnyValueText.asString(value, 0);
  }

  @Test
  void scalars() {
    assertThat(text(str("as is <&>"))).isEqualTo("as is <&>");
    assertThat(text(bool(true))).isEqualTo("true");
    assertThat(text(bool(false))).isEqualTo("false");
    assertThat(text(integer(-42))).isEqualTo("-42");
    assertThat(text(integer(Long.MAX_VALUE))).isEqualTo("9223372036854775807");
    assertThat(text(bytes((byte) 0xFF, (byte) 0x00, (byte) 0x10))).isEqualTo("/wAQ");
    assertThat(text(AnyValue.getDefaultInstance())).isEmpty();
  }

  @Test
  void doublesUseShortestFormWithGoExponentCutoffs() {
    assertThat(text(dbl(1.5))).isEqualTo("1.5");
    assertThat(text(dbl(3.0))).isEqualTo("3");
    assertThat(text(dbl(0.1))).isEqualTo("0.1");
    assertThat(text(dbl(-0.0))).isEqualTo("-0");
    assertThat(text(dbl(0.0))).isEqualTo("0");
    assertThat(text(dbl(1e20))).isEqualTo("100000000000000000000");
    assertThat(text(dbl(1e21))).isEqualTo("1e+21");
    assertThat(text(dbl(1.25e300))).isEqualTo("1.25e+300");
    assertThat(text(dbl(0.000001))).isEqualTo("0.000001");
    assertThat(text(dbl(1e-7))).isEqualTo("1e-7");
    assertThat(text(dbl(-2.5e-10))).isEqualTo("-2.5e-10");
    assertThat(text(dbl(123456.789))).isEqualTo("123456.789");
    assertThat(text(dbl(Double.NaN))).isEqualTo("json: unsupported value: NaN");
    assertThat(text(dbl(Double.POSITIVE_INFINITY))).isEqualTo("json: unsupported value: +Inf");
    assertThat(text(dbl(Double.NEGATIVE_INFINITY))).isEqualTo("json: unsupported value: -Inf");
  }

  @Test
  void arraysAndKvlistsAreCompactJsonWithSortedKeys() {
    assertThat(text(array(str("a"), integer(1), dbl(2.5), bool(true), bytes((byte) 1), AnyValue.getDefaultInstance())))
        .isEqualTo("[\"a\",1,2.5,true,\"AQ==\",null]");
    assertThat(text(kvlist(kv("b", integer(2)), kv("a", str("x")), kv("b", integer(3)),
        kv("n", kvlist(kv("z", array()), kv("y", kvlist()))))))
        .isEqualTo("{\"a\":\"x\",\"b\":3,\"n\":{\"y\":{},\"z\":[]}}");
    assertThat(text(array())).isEqualTo("[]");
  }

  @Test
  void jsonStringsUseGoEscaping() {
    assertThat(text(array(str("q\"b\\s/<>&\n\r\t\b\f\u0001\u2028é😀"))))
        .isEqualTo("[\"q\\\"b\\\\s/\\u003c\\u003e\\u0026\\n\\r\\t\\b\\f\\u0001\\u2028é😀\"]");
  }

  @Test
  void nonFiniteDoubleInsideJsonGivesEmptyString() {
    assertThat(text(array(dbl(1), dbl(Double.NaN)))).isEmpty();
    assertThat(text(kvlist(kv("x", dbl(Double.POSITIVE_INFINITY))))).isEmpty();
  }

  @Test
  void truncationCutsStringsAndStringsInArraysButKeepsSurrogatePairs() {
    assertThat(AnyValueText.asString(str("abcdef"), 3)).isEqualTo("abc");
    assertThat(AnyValueText.asString(str("ab"), 3)).isEqualTo("ab");
    assertThat(AnyValueText.asString(str("a😀b"), 2)).isEqualTo("a");
    assertThat(AnyValueText.asString(array(str("abcdef"), integer(123456)), 2)).isEqualTo("[\"ab\",123456]");
    assertThat(AnyValueText.asString(integer(123456), 2)).isEqualTo("123456");
  }
}
