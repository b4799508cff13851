/** One block of rows encoded in ClickHouse's Native format, ready for {@link Store#insert}. */
package com.kubetelemetry.storage;

import java.util.List;
import java.util.Objects;

/**
 * Rows encoded column by column in the Native format (the format's header names each column and its type).
 * Blocks with the same {@code columns} can be concatenated into one insert.
 */
public record NativeBlock(List<String> columns, int rows, byte[] data) {
  public NativeBlock {
    columns = List.copyOf(columns);
    Objects.requireNonNull(data, "data");
    if (rows < 0) {
      throw new IllegalArgumentException("rows < 0");
    }
  }
}
