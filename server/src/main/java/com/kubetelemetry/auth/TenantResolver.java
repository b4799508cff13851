/** Decides which tenant a request acts for and whether its data may name other tenants. */
package com.kubetelemetry.auth;

import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.ingest.mapping.WriteScope;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.TenantId;
import com.linecorp.armeria.common.RequestHeaders;

/**
 * With auth disabled every request acts for {@code auth.defaultTenant} and may write for other tenants (the
 * resource attribute {@code tenant.id} is honoured); reads may name another tenant with the request header
 * {@code x-tenant-id} (with auth off nobody is authenticated, so this grants nothing a caller could not already
 * write). Authentication itself is not implemented yet, so enabling it
 * fails start-up rather than silently accepting everyone.
 */
public final class TenantResolver {
  /** Request header naming the tenant a read acts for when auth is off. */
  public static final String TENANT_HEADER = "x-tenant-id";

  private final WriteScope unauthenticatedScope;
  private final TenantId defaultTenant;

  public TenantResolver(ServerConfig.AuthSection auth) {
    if (auth.enabled()) {
      throw new IllegalStateException(
          "auth.enabled=true but auth is not implemented yet: set auth.enabled to false (TELEMETRY_AUTH_ENABLED=false)");
    }
    this.unauthenticatedScope = new WriteScope(auth.defaultTenant(), true);
    this.defaultTenant = new TenantId(auth.defaultTenant());
  }

  /**
   * The tenant a read with these headers acts for: the {@code x-tenant-id} header when present, else
   * {@code auth.defaultTenant}. A blank or over-long header is INVALID_ARGUMENT (a {@link QueryException}).
   */
  public TenantId readTenant(RequestHeaders headers) {
    String named = headers == null ? null : headers.get(TENANT_HEADER);
    if (named == null) {
      return defaultTenant;
    }
    try {
      return new TenantId(named.strip());
    } catch (QueryException e) {
      throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, TENANT_HEADER, "request header `"
          + TENANT_HEADER + "` must name a tenant of 1 to " + TenantId.MAX_LENGTH + " characters");
    }
  }

  /** The write scope of a request with these headers. */
  public WriteScope writeScope(RequestHeaders headers) {
    return unauthenticatedScope;
  }
}
