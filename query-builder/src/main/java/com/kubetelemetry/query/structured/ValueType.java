/** The type of one output column of a structured query, as the API reports it. */
package com.kubetelemetry.query.structured;

/** TIMESTAMP values are selected as Int64 nanoseconds since the epoch; INT64 values may arrive as text. */
public enum ValueType { STRING, INT64, DOUBLE, BOOL, TIMESTAMP }
