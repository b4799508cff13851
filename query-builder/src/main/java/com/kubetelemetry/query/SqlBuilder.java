/** Writes one parameterized statement line by line, naming parameters p0, p1, ... in order of appearance. */
package com.kubetelemetry.query;

import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Text added here comes from code (keywords, allow-listed identifiers); values only enter through
 * {@link #param}, which returns a placeholder. Lines are never blank, so the text never contains "\n\n".
 */
public final class SqlBuilder {
  private final List<String> lines = new ArrayList<>();
  private final List<Param> params = new ArrayList<>();

  /** Registers {@code value} as the next parameter and returns its placeholder, e.g. {@code {p3:String}}. */
  public String param(String type, Object value) {
    Param p = new Param("p" + params.size(), type, value);
    params.add(p);
    return p.placeholder();
  }

  /** Appends one line of SQL text; the line must not be blank or contain a newline. */
  public SqlBuilder line(String text) {
    if (text.isBlank() || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("SQL line must be one non-blank line: [" + text + "]");
    }
    lines.add(text);
    return this;
  }

  /** The statement written so far, with {@code limits} as settings. */
  public Sql build(QueryLimits limits) {
    return limits.applyTo(new Sql(String.join("\n", lines), params, Map.of()));
  }
}
