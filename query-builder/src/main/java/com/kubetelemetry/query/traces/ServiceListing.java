/** A request for the services that sent spans in a period, optionally only those whose name has a prefix. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.TimeRange;

/** @param timeRange the period, null for the default; @param prefix name prefix, null or empty for all */
public record ServiceListing(TimeRange timeRange, String prefix) {}
