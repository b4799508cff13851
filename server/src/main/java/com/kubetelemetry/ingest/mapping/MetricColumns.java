/** Column groups shared by the five metric tables: the common identity columns and the nested Exemplars. */
package com.kubetelemetry.ingest.mapping;

import com.kubetelemetry.storage.nativeformat.NativeBlockBuilder;
import com.kubetelemetry.storage.nativeformat.NativeColumn;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import java.util.List;

final class MetricColumns {
  private MetricColumns() {}

  /** TenantId, resource, scope and metric identity, the point's attributes and its two timestamps. */
  static final class Common {
    private final NativeColumn.StringColumn tenantId;
    private final NativeColumn.MapColumn resourceAttributes;
    private final NativeColumn.StringColumn resourceSchemaUrl;
    private final NativeColumn.StringColumn scopeName;
    private final NativeColumn.StringColumn scopeVersion;
    private final NativeColumn.MapColumn scopeAttributes;
    private final NativeColumn.UInt32Column scopeDroppedAttrCount;
    private final NativeColumn.StringColumn scopeSchemaUrl;
    private final NativeColumn.StringColumn serviceName;
    private final NativeColumn.StringColumn metricName;
    private final NativeColumn.StringColumn metricDescription;
    private final NativeColumn.StringColumn metricUnit;
    private final NativeColumn.MapColumn attributes;
    private final NativeColumn.DateTime64Column startTimeUnix;
    private final NativeColumn.DateTime64Column timeUnix;

    Common(NativeBlockBuilder builder) {
      tenantId = builder.string("TenantId");
      resourceAttributes = builder.map("ResourceAttributes");
      resourceSchemaUrl = builder.string("ResourceSchemaUrl");
      scopeName = builder.string("ScopeName");
      scopeVersion = builder.string("ScopeVersion");
      scopeAttributes = builder.map("ScopeAttributes");
      scopeDroppedAttrCount = builder.uint32("ScopeDroppedAttrCount");
      scopeSchemaUrl = builder.string("ScopeSchemaUrl");
      serviceName = builder.string("ServiceName");
      metricName = builder.string("MetricName");
      metricDescription = builder.string("MetricDescription");
      metricUnit = builder.string("MetricUnit");
      attributes = builder.map("Attributes");
      startTimeUnix = builder.dateTime64("StartTimeUnix");
      timeUnix = builder.dateTime64("TimeUnix");
    }

    void add(MetricFields fields, List<KeyValue> pointAttributes, long startTime, long time, AttributeWriter writer) {
      tenantId.add(fields.resource().tenant());
      resourceAttributes.putAll(fields.resource().attributes());
      resourceAttributes.endRow();
      resourceSchemaUrl.add(fields.resourceSchemaUrl());
      scopeName.add(fields.scopeName());
      scopeVersion.add(fields.scopeVersion());
      scopeAttributes.putAll(fields.scopeAttributes());
      scopeAttributes.endRow();
      scopeDroppedAttrCount.add(Integer.toUnsignedLong(fields.scopeDroppedAttrCount()));
      scopeSchemaUrl.add(fields.scopeSchemaUrl());
      serviceName.add(fields.resource().serviceName());
      metricName.add(fields.metricName());
      metricDescription.add(fields.metricDescription());
      metricUnit.add(fields.metricUnit());
      writer.put(pointAttributes, attributes);
      attributes.endRow();
      startTimeUnix.add(startTime);
      timeUnix.add(time);
    }
  }

  /**
   * {@code Exemplars Nested(FilteredAttributes, TimeUnix, Value, SpanId, TraceId)}. Integer values become
   * Float64 and a missing value 0; ids are hex, and absent ids are written as zeros, as the exporter does.
   */
  static final class Exemplars {
    private final NativeColumn.MapArrayColumn filteredAttributes;
    private final NativeColumn.DateTime64ArrayColumn timeUnix;
    private final NativeColumn.Float64ArrayColumn value;
    private final NativeColumn.StringArrayColumn spanId;
    private final NativeColumn.StringArrayColumn traceId;

    Exemplars(NativeBlockBuilder builder) {
      filteredAttributes = builder.mapArray("Exemplars.FilteredAttributes");
      timeUnix = builder.dateTime64Array("Exemplars.TimeUnix");
      value = builder.float64Array("Exemplars.Value");
      spanId = builder.stringArray("Exemplars.SpanId");
      traceId = builder.stringArray("Exemplars.TraceId");
    }

    void add(List<Exemplar> exemplars, AttributeWriter writer) {
      for (Exemplar exemplar : exemplars) {
        writer.putElement(exemplar.getFilteredAttributesList(), filteredAttributes);
        timeUnix.add(exemplar.getTimeUnixNano());
        value.add(switch (exemplar.getValueCase()) {
          case AS_DOUBLE -> exemplar.getAsDouble();
          case AS_INT -> (double) exemplar.getAsInt();
          case VALUE_NOT_SET -> 0.0;
        });
        spanId.add(Ids.hexOrZeros(exemplar.getSpanId(), 8));
        traceId.add(Ids.hexOrZeros(exemplar.getTraceId(), 16));
      }
      filteredAttributes.endRow();
      timeUnix.endRow();
      value.endRow();
      spanId.endRow();
      traceId.endRow();
    }
  }
}
