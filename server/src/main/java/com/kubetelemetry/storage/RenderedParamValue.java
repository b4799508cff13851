/** A query parameter value that is already in ClickHouse's escaped text form, passed to the engine unchanged. */
package com.kubetelemetry.storage;

import java.util.Objects;

/**
 * What the engine parses for a {@code {name:Type}} placeholder: the text of an HTTP {@code param_<name>} value or
 * of a chDB parameter. Stores render ordinary {@link com.kubetelemetry.sql.Param} values into this form; a value
 * that already has it (the remote store hands its rendered values to the driver, the test endpoint forwards
 * what it received) is sent as is. {@link #toString()} is the text, because the driver formats values with
 * {@code String.valueOf} and escapes only character sequences.
 */
public record RenderedParamValue(String text) {
  public RenderedParamValue {
    Objects.requireNonNull(text, "text");
  }

  @Override
  public String toString() {
    return text;
  }
}
