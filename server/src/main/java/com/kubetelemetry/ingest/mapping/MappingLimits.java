/** Limits the row mappers apply while turning OTLP exports into rows. */
package com.kubetelemetry.ingest.mapping;

/**
 * @param maxAttributeValueLength string attribute values (and the strings inside array values) longer than this
 *     many chars are truncated, per the OpenTelemetry attribute-limits convention; 0 means unlimited
 * @param maxReportedProblems how many distinct problems a rejection message lists before summarising the rest
 */
public record MappingLimits(int maxAttributeValueLength, int maxReportedProblems) {
  public MappingLimits {
    if (maxAttributeValueLength < 0) {
      throw new IllegalArgumentException("maxAttributeValueLength must be >= 0 (0 = unlimited), got "
          + maxAttributeValueLength);
    }
    if (maxReportedProblems < 1) {
      throw new IllegalArgumentException("maxReportedProblems must be >= 1, got " + maxReportedProblems);
    }
  }

  /** Limits with the given value-length cap and the default of 3 reported problems. */
  public MappingLimits(int maxAttributeValueLength) {
    this(maxAttributeValueLength, 3);
  }

  /** No truncation; 3 reported problems. */
  public static MappingLimits unlimited() {
    return new MappingLimits(0, 3);
  }
}
