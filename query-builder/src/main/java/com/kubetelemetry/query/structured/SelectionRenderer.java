/** Renders one select expression of a structured query (a field or attribute, maybe aggregated) to SQL. */
package com.kubetelemetry.query.structured;

import static com.kubetelemetry.query.structured.StructuredQueryCompiler.invalid;

import com.kubetelemetry.query.AttributeMatcher.Target;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.MatcherPredicate;
import com.kubetelemetry.query.SignalTable;
import com.kubetelemetry.query.SqlBuilder;
import com.kubetelemetry.query.structured.StructuredQuery.Function;
import com.kubetelemetry.query.structured.StructuredQuery.Selection;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * Fields render as their allow-listed column. Attributes render as {@code if(mapContains(M, k), M[k], NULL)}
 * (absent reads as null), as {@code toFloat64OrNull(M[k])} where a number is needed, and count only the rows
 * holding the key. MIN and MAX compare text fields as text and everything else as numbers.
 */
final class SelectionRenderer {
  private final QuerySignal signal;
  private final SqlBuilder sql;
  private final String rateParam;

  SelectionRenderer(QuerySignal signal, SqlBuilder sql, String rateParam) {
    this.signal = signal;
    this.sql = sql;
    this.rateParam = rateParam;
  }

  /** A rendered selection: SQL expression, output type, and the name used when no alias is given. */
  record Rendered(String expr, ValueType type, String derivedName) {}

  /**
   * How one reference reads: its value (null where absent), its numeric form (null for text fields), and the
   * condition for "present" (null when always present).
   */
  private record Value(String expr, ValueType type, String numeric, String presence, boolean mapped) {}

  Rendered render(Selection s, String path) {
    Function fn = s.function();
    AttributeRef ref = s.field();
    if (ref == null) {
      return switch (fn) {
        case COUNT -> new Rendered("count()", ValueType.INT64, "count");
        case RATE -> new Rendered("count() / " + rateParam, ValueType.DOUBLE, "rate");
        default -> throw invalid(path + ".field", "`" + path + ".field` is not set: only count and rate may "
            + "leave it empty");
      };
    }
    Value v = value(ref, path + ".field");
    String display = StructuredQueryCompiler.displayName(ref);
    String name = fn == Function.NONE ? display : fn.name().toLowerCase(Locale.ROOT) + "(" + display + ")";
    return switch (fn) {
      case NONE -> new Rendered(v.expr(), v.type(), name);
      case COUNT -> new Rendered(v.presence() == null ? "count()" : "countIf(" + v.presence() + ")",
          ValueType.INT64, name);
      case COUNT_DISTINCT -> new Rendered("uniq(" + v.expr() + ")", ValueType.INT64, name);
      case RATE -> new Rendered((v.presence() == null ? "count()" : "countIf(" + v.presence() + ")") + " / "
          + rateParam, ValueType.DOUBLE, name);
      case SUM -> new Rendered("sum(" + numeric(v, fn, path) + ")",
          v.type() == ValueType.INT64 ? ValueType.INT64 : ValueType.DOUBLE, name);
      case AVG -> new Rendered("avg(" + numeric(v, fn, path) + ")", ValueType.DOUBLE, name);
      case MIN, MAX -> {
        String f = fn == Function.MIN ? "min" : "max";
        if (!v.mapped() && v.type() == ValueType.STRING) {
          yield new Rendered(f + "(" + v.expr() + ")", ValueType.STRING, name);
        }
        yield new Rendered(f + "(" + v.numeric() + ")", v.mapped() ? ValueType.DOUBLE : v.type(), name);
      }
      case QUANTILE -> {
        double q = s.quantile();
        if (!(q >= 0 && q <= 1)) {
          throw invalid(path + ".quantile", "`" + path + ".quantile` is " + q + "; use a number from 0 to 1");
        }
        String expr = numeric(v, fn, path);
        String qText = BigDecimal.valueOf(q).stripTrailingZeros().toPlainString();
        yield new Rendered("quantile(" + sql.param("Float64", q) + ")(" + expr + ")", ValueType.DOUBLE,
            "quantile(" + qText + ", " + display + ")");
      }
    };
  }

  private static String numeric(Value v, Function fn, String path) {
    if (v.numeric() == null) {
      throw invalid(path + ".function", fn.name().toLowerCase(Locale.ROOT) + " needs a number, and `"
          + path + ".field` is a text field: use count, count_distinct, min or max, or a numeric field");
    }
    return v.numeric();
  }

  private Value value(AttributeRef ref, String path) {
    String key = ref.key();
    if (key == null || key.isEmpty()) {
      throw invalid(path + ".key", "`" + path + ".key` is empty: name the field or attribute");
    }
    if (key.length() > MatcherPredicate.MAX_KEY_LENGTH) {
      throw invalid(path + ".key", "`" + path + ".key` is " + key.length() + " characters; the maximum is "
          + MatcherPredicate.MAX_KEY_LENGTH);
    }
    SignalTable table = signal.table();
    String map = switch (ref.target()) {
      case RESOURCE -> SignalTable.RESOURCE_MAP;
      case ITEM -> table.itemMap();
      case SCOPE -> table.scopeMap();
      case COLUMN -> null;
    };
    if (ref.target() == Target.SCOPE && map == null) {
      if (key.equals("name") || key.equals("version")) {
        String column = key.equals("name") ? "ScopeName" : "ScopeVersion";
        return new Value(column, ValueType.STRING, null, null, false);
      }
      throw invalid(path + ".key", "spans carry no scope attributes, only the scope `name` and `version`: use "
          + "one of name, version");
    }
    if (map == null) {
      SignalTable.Field field = table.field(key)
          .orElseThrow(() -> StructuredQueryCompiler.unknownField(signal, key, path + ".key"));
      ValueType type = QuerySignal.type(field);
      return new Value(field.column(), type, field.isText() ? null : field.column(), null, false);
    }
    String k = sql.param("String", key);
    String presence = "mapContains(" + map + ", " + k + ")";
    return new Value("if(" + presence + ", " + map + "[" + k + "], NULL)", ValueType.STRING,
        "toFloat64OrNull(" + map + "[" + k + "])", presence, true);
  }
}
