/** The table and columns an insert names, checked and backquoted the same way by every store. */
package com.kubetelemetry.storage;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Insert targets come from code (mappers, migrations), never from requests; a name that is not a plain
 * {@code table} or {@code database.table} identifier is a programming error and is refused before any SQL is built.
 */
public final class InsertTarget {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,127}");

  private InsertTarget() {}

  /** {@code `database`.`table`} for {@code table} ({@code table} or {@code db.table}); {@code database} by default. */
  public static String qualified(String table, String database) {
    if (!IDENTIFIER.matcher(table).matches()) {
      throw new IllegalArgumentException("invalid table name: " + table);
    }
    String name = table.contains(".") ? table : database + "." + table;
    int dot = name.indexOf('.');
    return identifier(name.substring(0, dot)) + "." + identifier(name.substring(dot + 1));
  }

  /** The backquoted columns every one of {@code blocks} (not empty) carries, in order; blocks that differ are refused. */
  public static List<String> columns(String table, List<NativeBlock> blocks) {
    List<String> columns = blocks.getFirst().columns();
    for (NativeBlock block : blocks) {
      if (!block.columns().equals(columns)) {
        throw new IllegalArgumentException("blocks for " + table + " have different columns");
      }
    }
    return columns.stream().map(InsertTarget::identifier).toList();
  }

  /** One backquoted identifier (a column may contain dots: {@code Events.Name} is one nested column). */
  public static String identifier(String name) {
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid identifier: " + name);
    }
    return "`" + name + "`";
  }
}
