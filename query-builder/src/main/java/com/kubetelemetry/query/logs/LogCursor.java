/** A position in the (Timestamp, RowHash) order of log records: where a page or a tail poll continues. */
package com.kubetelemetry.query.logs;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * Records are ordered by timestamp, then by {@code RowHash}, a 64-bit hash of every other stored field, so the
 * order is total except between records identical in every field; those are interchangeable, and {@code skip}
 * counts how many of the records with exactly this key were already returned.
 *
 * @param timestampNanos timestamp of the last returned record, nanoseconds since the epoch
 * @param rowHash its RowHash (unsigned 64-bit)
 * @param skip records with this exact key already returned
 */
public record LogCursor(long timestampNanos, BigInteger rowHash, long skip) {
  public static final BigInteger MAX_HASH = BigInteger.TWO.pow(64).subtract(BigInteger.ONE);

  public LogCursor {
    Objects.requireNonNull(rowHash, "rowHash");
    if (timestampNanos < 0 || rowHash.signum() < 0 || rowHash.compareTo(MAX_HASH) > 0 || skip < 0) {
      throw new IllegalArgumentException("cursor out of range: " + timestampNanos + ", " + rowHash + ", " + skip);
    }
  }

  /** The order key of one returned record. */
  public record Key(long timestampNanos, BigInteger rowHash) {}

  /**
   * The cursor after a page, given the keys of its records in their order; {@code previous} is the cursor the
   * page started at (null for the first page). Records with the previous cursor's key come first in a page, so
   * when the last key equals it the whole page has that key and the skips add up.
   */
  public static LogCursor after(LogCursor previous, java.util.List<Key> page) {
    Key last = page.getLast();
    long same = page.stream().filter(last::equals).count();
    if (previous != null && previous.timestampNanos == last.timestampNanos()
        && previous.rowHash.equals(last.rowHash())) {
      same += previous.skip;
    }
    return new LogCursor(last.timestampNanos(), last.rowHash(), same);
  }

  /** The cursor as text fields, for a page token. */
  public List<String> position() {
    return List.of(Long.toString(timestampNanos), rowHash.toString(), Long.toString(skip));
  }

  /** The cursor {@link #position()} wrote; an INVALID_ARGUMENT naming {@code field} when it is not one. */
  public static LogCursor parse(List<String> position, String field) {
    try {
      if (position.size() == 3) {
        return new LogCursor(Long.parseLong(position.get(0)), new BigInteger(position.get(1)),
            Long.parseLong(position.get(2)));
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw LogFilterCompiler.invalid(field, "`" + field + "` is not a page token of this request: pass the "
        + "`next_page_token` of the previous page unchanged, or leave it empty for the first page");
  }
}
