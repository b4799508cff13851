/** What every data point row of one metric shares: resource, scope and metric identity. */
package com.kubetelemetry.ingest.mapping;

import com.kubetelemetry.storage.nativeformat.EncodedMap;

/** Values of the columns common to all five metric tables, except the point's own attributes and times. */
record MetricFields(
    ResourceFields resource,
    String resourceSchemaUrl,
    String scopeName,
    String scopeVersion,
    EncodedMap scopeAttributes,
    int scopeDroppedAttrCount,
    String scopeSchemaUrl,
    String metricName,
    String metricDescription,
    String metricUnit) {}
