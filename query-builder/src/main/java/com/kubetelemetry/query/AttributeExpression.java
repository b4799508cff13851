/** Renders an {@link AttributeRef} to a String-valued SQL expression, for SELECT and GROUP BY. */
package com.kubetelemetry.query;

/**
 * Attribute keys are bound as parameters ({@code ResourceAttributes[{p3:String}]}); fields come from the table's
 * allow-list and numbers are turned into text with {@code toString}, so every expression has type String.
 */
public final class AttributeExpression {
  private AttributeExpression() {}

  /** The expression for {@code ref} on {@code table}; {@code field} is the request path of the reference. */
  public static String render(AttributeRef ref, SignalTable table, String field, SqlBuilder sql) {
    return switch (ref.target()) {
      case RESOURCE -> lookup(SignalTable.RESOURCE_MAP, ref, field, sql);
      case ITEM -> lookup(table.itemMap(), ref, field, sql);
      case SCOPE -> {
        if (table.scopeMap() != null) {
          yield lookup(table.scopeMap(), ref, field, sql);
        }
        if ("name".equals(ref.key()) || "version".equals(ref.key())) {
          yield "name".equals(ref.key()) ? "ScopeName" : "ScopeVersion";
        }
        throw QueryException.invalid(field + ".key", "spans carry no scope attributes, only the scope `name` and "
            + "`version`: use one of name, version");
      }
      case COLUMN -> {
        SignalTable.Field f = MatcherPredicate.field(table, ref.key(), field + ".key");
        yield f.isText() ? f.column() : "toString(" + f.column() + ")";
      }
    };
  }

  private static String lookup(String map, AttributeRef ref, String field, SqlBuilder sql) {
    return map + "[" + sql.param("String", MatcherPredicate.mapKey(ref.key(), field + ".key")) + "]";
  }
}
