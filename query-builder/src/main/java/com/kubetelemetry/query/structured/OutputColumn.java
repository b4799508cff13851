/** One output column of a compiled structured query: its API name and value type. */
package com.kubetelemetry.query.structured;

/** @param name column name as the caller sees it and refers to it in order_by; @param type its values' type */
public record OutputColumn(String name, ValueType type) {}
