/** One condition on a field of a stored object, named by a dotted JSON path such as {@code status.phase}. */
package com.kubetelemetry.query.resources;

import com.kubetelemetry.query.QueryException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The path's segments are bound as parameters of {@code JSONExtractString} / {@code JSONHas}, never written into the
 * SQL text. Values compare as text.
 *
 * @param segments the path split at dots, at least one, none empty
 * @param op how the field is tested
 * @param values one value for EQUALS and NOT_EQUALS, one or more for IN and NOT_IN, none for EXISTS and NOT_EXISTS
 */
public record FieldFilter(List<String> segments, LabelRequirement.Op op, List<String> values) {
  public static final int MAX_SEGMENTS = 16;
  public static final int MAX_PATH_LENGTH = 512;
  public static final int MAX_VALUES = 1000;

  public FieldFilter {
    segments = List.copyOf(segments);
    Objects.requireNonNull(op, "op");
    values = List.copyOf(values);
  }

  /** A filter on {@code path}; INVALID_ARGUMENT naming {@code field} when the path or values do not fit. */
  public static FieldFilter of(String path, LabelRequirement.Op op, List<String> values, String field) {
    if (path.isEmpty() || path.length() > MAX_PATH_LENGTH) {
      throw invalid(field + ".path", "`" + field + ".path` must be a dotted path such as status.phase, 1 to "
          + MAX_PATH_LENGTH + " characters");
    }
    List<String> segments = Arrays.asList(path.split("\\.", -1));
    if (segments.size() > MAX_SEGMENTS || segments.stream().anyMatch(String::isEmpty)) {
      throw invalid(field + ".path", "`" + field + ".path` '" + path + "' must have 1 to " + MAX_SEGMENTS
          + " non-empty segments separated by '.'");
    }
    int wanted = switch (op) {
      case EQUALS, NOT_EQUALS -> 1;
      case IN, NOT_IN -> -1;
      case EXISTS, NOT_EXISTS -> 0;
    };
    if ((wanted >= 0 && values.size() != wanted) || (wanted < 0 && (values.isEmpty() || values.size() > MAX_VALUES))) {
      throw invalid(field + ".values", "`" + field + "` with operator " + op + " needs "
          + (wanted < 0 ? "1 to " + MAX_VALUES + " values in `values`" : wanted == 1 ? "`value`" : "no value"));
    }
    return new FieldFilter(segments, op, values);
  }

  private static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }
}
