/** Which tenant an export writes for, and whether its data may name another tenant. */
package com.kubetelemetry.ingest.mapping;

import java.util.Objects;

/**
 * The tenant rows are written for. The resource attribute {@code tenant.id} is honoured only when
 * {@code mayWriteForOtherTenants} is true (auth off, or a shared Collector's principal); otherwise it is ignored
 * and every row gets {@code tenant}.
 */
public record WriteScope(String tenant, boolean mayWriteForOtherTenants) {
  /** The resource attribute that names a row's tenant when the scope allows it. */
  public static final String TENANT_ATTRIBUTE = "tenant.id";

  public WriteScope {
    Objects.requireNonNull(tenant, "tenant");
    if (tenant.isBlank()) {
      throw new IllegalArgumentException("tenant is blank");
    }
  }
}
