/** The conditions a log record has to meet, all together; shared by search, histogram and tail. */
package com.kubetelemetry.query.logs;

import com.kubetelemetry.query.AttributeMatcher;
import java.util.List;

/**
 * Empty strings and lists mean "no condition".
 *
 * @param terms substrings that must all appear in the body, ignoring case
 * @param minSeverity least severity level; UNSPECIFIED keeps every record
 * @param serviceName exact service name
 * @param matchers further conditions on attributes and fields
 * @param traceId 32 hexadecimal characters (any case)
 * @param spanId 16 hexadecimal characters (any case)
 */
public record LogFilter(List<String> terms, LogSeverity minSeverity, String serviceName,
    List<AttributeMatcher> matchers, String traceId, String spanId) {

  public LogFilter {
    terms = terms == null ? List.of() : List.copyOf(terms);
    minSeverity = minSeverity == null ? LogSeverity.UNSPECIFIED : minSeverity;
    serviceName = serviceName == null ? "" : serviceName;
    matchers = matchers == null ? List.of() : List.copyOf(matchers);
    traceId = traceId == null ? "" : traceId;
    spanId = spanId == null ? "" : spanId;
  }

  /** No conditions. */
  public static LogFilter all() {
    return new LogFilter(List.of(), LogSeverity.UNSPECIFIED, "", List.of(), "", "");
  }

  public LogFilter withTerms(String... t) {
    return new LogFilter(List.of(t), minSeverity, serviceName, matchers, traceId, spanId);
  }

  public LogFilter withMinSeverity(LogSeverity s) {
    return new LogFilter(terms, s, serviceName, matchers, traceId, spanId);
  }

  public LogFilter withServiceName(String s) {
    return new LogFilter(terms, minSeverity, s, matchers, traceId, spanId);
  }

  public LogFilter withMatchers(List<AttributeMatcher> m) {
    return new LogFilter(terms, minSeverity, serviceName, m, traceId, spanId);
  }

  public LogFilter withTraceId(String t) {
    return new LogFilter(terms, minSeverity, serviceName, matchers, t, spanId);
  }

  public LogFilter withSpanId(String s) {
    return new LogFilter(terms, minSeverity, serviceName, matchers, traceId, s);
  }
}
