/** A request for the span names (with kinds) one service emitted in a period. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.TimeRange;

/**
 * @param service the service, required
 * @param timeRange the period, null for the default
 * @param kind only this kind, null for any
 */
public record OperationListing(String service, TimeRange timeRange, SpanKind kind) {}
