/** What every row from one OTLP resource shares: its tenant, service name and encoded attributes. */
package com.kubetelemetry.ingest.mapping;

import com.kubetelemetry.storage.nativeformat.EncodedMap;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * @param tenant the row's {@code TenantId}: the scope's tenant, or the resource attribute {@code tenant.id} when
 *     the scope may write for other tenants and that attribute is a non-empty string
 * @param serviceName the flattened {@code service.name} resource attribute ("" when absent)
 * @param attributes the resource attributes, encoded once
 */
record ResourceFields(String tenant, String serviceName, EncodedMap attributes) {
  static final String SERVICE_NAME = "service.name";

  static ResourceFields of(WriteScope scope, Resource resource, AttributeWriter writer) {
    return new ResourceFields(tenant(scope, resource), writer.valueOf(resource.getAttributesList(), SERVICE_NAME),
        writer.encode(resource.getAttributesList()));
  }

  static String tenant(WriteScope scope, Resource resource) {
    if (scope.mayWriteForOtherTenants()) {
      for (KeyValue kv : resource.getAttributesList()) {
        if (kv.getKey().equals(WriteScope.TENANT_ATTRIBUTE)
            && kv.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE
            && !kv.getValue().getStringValue().isEmpty()) {
          return kv.getValue().getStringValue();
        }
      }
    }
    return scope.tenant();
  }
}
