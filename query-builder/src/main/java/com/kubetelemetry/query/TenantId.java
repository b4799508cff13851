/** The tenant every compiled query is bounded by: compilers take it as a required argument, never from the request. */
package com.kubetelemetry.query;

/** @param tenant the tenant name, as stored in the {@code TenantId} column of every table */
public record TenantId(String tenant) {
  public static final int MAX_LENGTH = 128;

  public TenantId {
    if (tenant == null || tenant.isBlank()) {
      throw QueryException.invalid("tenant", "tenant is empty: authenticate with a tenant");
    }
    if (tenant.length() > MAX_LENGTH) {
      throw QueryException.invalid("tenant", "tenant is " + tenant.length() + " characters; the maximum is "
          + MAX_LENGTH);
    }
  }
}
