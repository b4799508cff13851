/** Converts the API's StructuredQuery messages into the query builder's {@link StructuredQuery}. */
package com.kubetelemetry.structured;

import com.kubetelemetry.api.v1.AggregateFunction;
import com.kubetelemetry.api.v1.OrderBy;
import com.kubetelemetry.api.v1.SelectExpression;
import com.kubetelemetry.api.v1.SortOrder;
import com.kubetelemetry.query.AttributeRef;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.structured.QuerySignal;
import com.kubetelemetry.query.structured.StructuredQuery;
import com.kubetelemetry.query.structured.StructuredQuery.Function;
import com.kubetelemetry.query.structured.StructuredQuery.Ordering;
import com.kubetelemetry.query.structured.StructuredQuery.Selection;
import com.kubetelemetry.read.ProtoQueries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Field paths in errors are the request's, e.g. {@code query.select[2].function}. Stateless. */
final class StructuredRequests {
  private StructuredRequests() {}

  static StructuredQuery query(com.kubetelemetry.api.v1.StructuredQuery in) {
    QuerySignal signal = switch (in.getSignal()) {
      case SIGNAL_TRACES -> QuerySignal.TRACES;
      case SIGNAL_LOGS -> QuerySignal.LOGS;
      case SIGNAL_METRICS -> QuerySignal.METRICS;
      default -> throw invalid("query.signal", "`query.signal` is not set: use SIGNAL_TRACES, SIGNAL_LOGS or "
          + "SIGNAL_METRICS");
    };
    List<Selection> select = new ArrayList<>();
    for (int i = 0; i < in.getSelectCount(); i++) {
      select.add(selection(in.getSelect(i), "query.select[" + i + "]"));
    }
    List<AttributeRef> groupBy = new ArrayList<>();
    for (int i = 0; i < in.getGroupByCount(); i++) {
      groupBy.add(ProtoQueries.ref(in.getGroupBy(i), "query.group_by[" + i + "]"));
    }
    List<Ordering> orderBy = new ArrayList<>();
    for (int i = 0; i < in.getOrderByCount(); i++) {
      OrderBy o = in.getOrderBy(i);
      if (o.getOrder() == SortOrder.UNRECOGNIZED) {
        throw invalid("query.order_by[" + i + "].order", "`query.order_by[" + i + "].order` is not a known order");
      }
      orderBy.add(new Ordering(o.getColumn(), o.getOrder() == SortOrder.SORT_ORDER_DESCENDING));
    }
    Duration bucket = null;
    if (in.hasTimeBucket()) {
      bucket = ProtoQueries.duration(in.getTimeBucket(), "query.time_bucket");
    }
    return new StructuredQuery(signal, select, ProtoQueries.matchers(in.getFiltersList(), "query.filters"),
        groupBy, bucket, orderBy, in.getLimit());
  }

  private static Selection selection(SelectExpression e, String path) {
    Function fn = switch (e.getFunction()) {
      case AGGREGATE_FUNCTION_UNSPECIFIED -> Function.NONE;
      case AGGREGATE_FUNCTION_COUNT -> Function.COUNT;
      case AGGREGATE_FUNCTION_COUNT_DISTINCT -> Function.COUNT_DISTINCT;
      case AGGREGATE_FUNCTION_SUM -> Function.SUM;
      case AGGREGATE_FUNCTION_AVG -> Function.AVG;
      case AGGREGATE_FUNCTION_MIN -> Function.MIN;
      case AGGREGATE_FUNCTION_MAX -> Function.MAX;
      case AGGREGATE_FUNCTION_QUANTILE -> Function.QUANTILE;
      case AGGREGATE_FUNCTION_RATE -> Function.RATE;
      case UNRECOGNIZED -> throw invalid(path + ".function", "`" + path + ".function` is not a known function:"
          + " use count, count_distinct, sum, avg, min, max, quantile or rate");
    };
    AttributeRef field = e.hasField() ? ProtoQueries.ref(e.getField(), path + ".field") : null;
    return new Selection(field, fn, e.getQuantile(), e.getAlias());
  }

  private static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }
}
