/** The final statement text sent to chDB: the compiled SQL plus its settings as a SETTINGS clause. */
package com.kubetelemetry.storage.chdb;

import com.kubetelemetry.sql.Sql;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Settings come from our own code (limits, never user input), but they are still checked against a strict shape
 * before they join the text. Statements that hang the embedded engine (DROP/KILL ... SYNC, CHDB.md hazard 3) are
 * refused here, the one place every statement passes.
 */
public final class SqlText {
  private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");
  private static final Pattern SETTING_VALUE = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}|'[A-Za-z0-9_.\\- ]{0,64}'");
  private static final Pattern HANGING_SYNC =
      Pattern.compile("(?is)^\\s*(DROP|KILL|DETACH)\\b.*\\bSYNC\\s*;?\\s*$");

  private SqlText() {}

  /** The statement text with its settings appended as a SETTINGS clause (settings checked, not escaped). */
  public static String withSettings(Sql sql) {
    String text = sql.text().strip();
    if (HANGING_SYNC.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "DROP/KILL/DETACH ... SYNC never returns on the embedded engine; run it without SYNC");
    }
    if (sql.settings().isEmpty()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text).append(" SETTINGS ");
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(sql.settings()).entrySet()) {
      if (!SETTING_NAME.matcher(e.getKey()).matches() || !SETTING_VALUE.matcher(e.getValue()).matches()) {
        throw new IllegalArgumentException("invalid setting " + e.getKey() + "=" + e.getValue());
      }
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(e.getKey()).append(" = ").append(e.getValue());
    }
    return sb.toString();
  }
}
