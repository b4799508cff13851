/** The compilers under test, configured with a fixed clock, and the tenant their requests run as. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.schema.SchemaOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

final class TraceFixtures {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final SchemaOptions SCHEMA = new SchemaOptions("otel", 0, 0, 0);
  static final TimeRangeResolver RANGES = TimeRangeResolver.withDefaults(Clock.fixed(NOW, ZoneOffset.UTC));
  static final TenantId TENANT = new TenantId("acme");
  static final TraceFetchCompiler FETCH = new TraceFetchCompiler(SCHEMA, RANGES, QueryLimits.defaults());
  static final ServiceCatalogCompiler CATALOG = new ServiceCatalogCompiler(SCHEMA, RANGES, QueryLimits.defaults());
  static final ServiceGraphCompiler GRAPH = new ServiceGraphCompiler(SCHEMA, RANGES, QueryLimits.defaults());
  static final SpanMetricsCompiler METRICS = new SpanMetricsCompiler(SCHEMA, RANGES, QueryLimits.defaults(),
      SpanMetricsCompiler.DEFAULT_MAX_POINTS);

  private TraceFixtures() {}
}
