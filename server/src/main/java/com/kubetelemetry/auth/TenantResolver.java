/** Decides which tenant a request acts for and whether its data may name other tenants. */
package com.kubetelemetry.auth;

import com.kubetelemetry.config.ServerConfig;
import com.kubetelemetry.ingest.mapping.WriteScope;
import com.linecorp.armeria.common.RequestHeaders;

/**
 * With auth disabled every request acts for {@code auth.defaultTenant} and may write for other tenants (the
 * resource attribute {@code tenant.id} is honoured). Authentication itself is not implemented yet, so enabling it
 * fails start-up rather than silently accepting everyone.
 */
public final class TenantResolver {
  private final WriteScope unauthenticatedScope;

  public TenantResolver(ServerConfig.AuthSection auth) {
    if (auth.enabled()) {
      throw new IllegalStateException(
          "auth.enabled=true but auth is not implemented yet: set auth.enabled to false (TELEMETRY_AUTH_ENABLED=false)");
    }
    this.unauthenticatedScope = new WriteScope(auth.defaultTenant(), true);
  }

  /** The write scope of a request with these headers. */
  public WriteScope writeScope(RequestHeaders headers) {
    return unauthenticatedScope;
  }
}
