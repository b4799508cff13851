/** Everything a read service needs: the store, the schema it reads, the compilers' settings and the caller's tenant. */
package com.kubetelemetry.read;

import com.kubetelemetry.auth.TenantResolver;
import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.query.QueryLimits;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeRangeResolver;
import com.kubetelemetry.schema.SchemaOptions;
import com.kubetelemetry.storage.Store;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.time.Clock;
import java.util.Objects;

/**
 * Built once at start-up and passed to every read service's constructor.
 *
 * @param ranges resolves request time ranges (default and maximum span from the query settings)
 * @param limits engine limits every compiled read carries
 * @param settings the query section of the configuration (series and point caps, ...)
 * @param activity the unary read calls in flight ({@link ReadCalls} reports them; the query cache waits for quiet)
 */
public record ReadContext(Store store, SchemaOptions schema, TimeRangeResolver ranges, QueryLimits limits,
    ServerConfig.QuerySection settings, TenantResolver tenants, Clock clock, ReadActivity activity) {

  public ReadContext {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(ranges, "ranges");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(tenants, "tenants");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(activity, "activity");
  }

  /** The context the server builds from its configuration for {@code store}. */
  public static ReadContext of(ServerConfig config, Store store, Clock clock) {
    ServerConfig.QuerySection q = config.query();
    ServerConfig.RetentionSection r = config.retention();
    SchemaOptions schema = new SchemaOptions(config.storage().database(), r.tracesDays(), r.logsDays(),
        r.metricsDays());
    TimeRangeResolver ranges = new TimeRangeResolver(clock, q.defaultTimeRange(), q.maxTimeRange());
    QueryLimits limits = new QueryLimits((int) Math.max(1, q.maxExecutionTime().toSeconds()), q.maxRowsToRead(),
        q.maxResultRows());
    return new ReadContext(store, schema, ranges, limits, q, new TenantResolver(config.auth()), clock,
        new ReadActivity());
  }

  /** The tenant of the gRPC call being served on this thread (the default tenant outside a request). */
  public TenantId tenant() {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    return tenants.readTenant(ctx == null ? null : ctx.request().headers());
  }
}
