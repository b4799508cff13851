/** Answers QueryRange and QueryInstant: finds the metric, compiles the query, runs it and builds the series. */
package com.kubetelemetry.metrics.range;

import com.google.protobuf.Timestamp;
import com.kubetelemetry.api.v1.MetricType;
import com.kubetelemetry.api.v1.QueryInfo;
import com.kubetelemetry.api.v1.QueryInstantRequest;
import com.kubetelemetry.api.v1.QueryInstantResponse;
import com.kubetelemetry.api.v1.QueryRangeRequest;
import com.kubetelemetry.api.v1.QueryRangeResponse;
import com.kubetelemetry.api.v1.QueryStats;
import com.kubetelemetry.api.v1.Sample;
import com.kubetelemetry.api.v1.Series;
import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.QueryException;
import com.kubetelemetry.query.StepGrid;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.query.metrics.CompiledMetricQuery;
import com.kubetelemetry.query.metrics.EvaluationGrid;
import com.kubetelemetry.query.metrics.MetricLookupCompiler;
import com.kubetelemetry.query.metrics.MetricQuery;
import com.kubetelemetry.query.metrics.MetricQueryCompiler;
import com.kubetelemetry.query.metrics.MetricShape;
import com.kubetelemetry.read.ProtoQueries;
import com.kubetelemetry.read.ReadContext;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.QueryResult;
import com.kubetelemetry.storage.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Two statements per call: a lookup of the metric's table and shape (a few rows), then the compiled query (one row
 * per series). An unknown metric gives an empty answer. More than {@code maxPoints} points in the answer gives
 * RESOURCE_EXHAUSTED; more series than the limit are cut by the top-k rule and flagged as truncated. The
 * series limit defaults to the smaller of 100 and {@code query.maxSeries}; asking for more than
 * {@code query.maxSeries} is RESOURCE_EXHAUSTED.
 */
public final class MetricRangeQueries {
  /** Most steps a range query may have (the proto's rule). */
  public static final int MAX_STEPS = StepGrid.MAX_STEPS;
  /** Points the server aims for when the request gives no step. */
  public static final int TARGET_POINTS = 300;
  /** Most steps one window may span (each point is counted in window/step steps). */
  public static final int MAX_WINDOW_STEPS = 1_000;
  public static final Duration INSTANT_WINDOW = Duration.ofMinutes(5);

  private final ReadContext context;
  private final MetricLookupCompiler lookup;
  private final MetricQueryCompiler compiler;

  public MetricRangeQueries(ReadContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.lookup = new MetricLookupCompiler(context.schema(), context.limits());
    this.compiler = new MetricQueryCompiler(context.schema(), context.limits());
  }

  /** What a call runs: the lookup, and (when the metric exists) the compiled query. */
  public record Plan(Sql lookup, CompiledMetricQuery query, MetricQuery request, EvaluationGrid grid) {
    /** The statements as Explain shows them. */
    public List<PlannedStatement> statements() {
      List<PlannedStatement> out = new ArrayList<>();
      out.add(new PlannedStatement("find the metric's table, temporality and unit", lookup));
      if (query != null) {
        out.add(new PlannedStatement(query.rollup() ? "evaluate the series from the 1-minute rollup"
            : "evaluate the series from the raw points", query.sql()));
      }
      return out;
    }
  }

  /** The statements QueryRange runs for {@code request} (runs the metric lookup to choose the table). */
  public List<PlannedStatement> planRange(TenantId tenant, QueryRangeRequest request) {
    return planRange(tenant, request, new Stats()).statements();
  }

  /** The statements QueryInstant runs for {@code request} (runs the metric lookup to choose the table). */
  public List<PlannedStatement> planInstant(TenantId tenant, QueryInstantRequest request) {
    return planInstant(tenant, request, new Stats()).statements();
  }

  public QueryRangeResponse queryRange(TenantId tenant, QueryRangeRequest request) {
    return queryRange(tenant, request, UnaryOperator.identity());
  }

  /**
   * As {@link #queryRange(TenantId, QueryRangeRequest)}, with the statement reading the points passed through
   * {@code pacing} first (the cache runs its background loads on one engine thread).
   */
  public QueryRangeResponse queryRange(TenantId tenant, QueryRangeRequest request, UnaryOperator<Sql> pacing) {
    long started = System.nanoTime();
    Stats stats = new Stats();
    Plan plan = planRange(tenant, request, stats);
    QueryRangeResponse.Builder out = QueryRangeResponse.newBuilder();
    EvaluationGrid grid = plan.grid();
    for (int k = 0; k < grid.points(); k++) {
      out.addStepStartsUnixMs(grid.stepStart(k).toEpochMilli());
    }
    if (plan.query() == null) {
      return out.setInfo(info(plan, null, 0, stats, started)).build();
    }
    Ran ran = run(tenant, plan, stats, pacing);
    for (SeriesRows.DecodedSeries s : ran.decoded().series()) {
      Series.Builder series = Series.newBuilder().putAllLabels(s.labels());
      for (int k = 0; k < grid.points(); k++) {
        if (s.present()[k]) {
          series.addValues(s.values()[k]);
        } else {
          series.addValues(0).addGaps(k);
        }
      }
      out.addSeries(series);
    }
    return out.setInfo(info(plan, ran.query(), ran.decoded().totalSeries(), stats, started)).build();
  }

  public QueryInstantResponse queryInstant(TenantId tenant, QueryInstantRequest request) {
    long started = System.nanoTime();
    Stats stats = new Stats();
    Plan plan = planInstant(tenant, request, stats);
    QueryInstantResponse.Builder out = QueryInstantResponse.newBuilder();
    if (plan.query() == null) {
      return out.setInfo(info(plan, null, 0, stats, started)).build();
    }
    Ran ran = run(tenant, plan, stats, UnaryOperator.identity());
    Timestamp at = timestamp(plan.grid().end());
    for (SeriesRows.DecodedSeries s : ran.decoded().series()) {
      if (s.present()[0]) {
        out.addSamples(Sample.newBuilder().putAllLabels(s.labels()).setValue(s.values()[0]).setTimestamp(at));
      }
    }
    return out.setInfo(info(plan, ran.query(), ran.decoded().totalSeries(), stats, started)).build();
  }

  /** The statement that answered and what it returned. */
  private record Ran(CompiledMetricQuery query, SeriesRows.Decoded decoded) {}

  /**
   * The plan's statement; when it read the counter rollup and stopped at a counter that fell without a new start
   * time (which the rollup cannot place inside its minute), the same query on raw points.
   */
  private Ran run(TenantId tenant, Plan plan, Stats stats, UnaryOperator<Sql> pacing) {
    try {
      return new Ran(plan.query(), run(plan.query(), stats, pacing));
    } catch (StoreException e) {
      if (!plan.query().rollup() || e.getMessage() == null
          || !e.getMessage().contains(MetricQueryCompiler.COUNTER_FALL)) {
        throw e;
      }
      CompiledMetricQuery raw = compiler.compile(tenant, plan.request(), plan.query().shape(), plan.grid(), false);
      return new Ran(raw, run(raw, stats, pacing));
    }
  }

  /**
   * What a range answer's shape depends on, resolved (and validated) exactly as the call would: the step-aligned
   * grid (relative ranges resolved against the clock now) and the effective series limit. The query cache uses it.
   */
  public record RangeShape(StepGrid steps, MetricQuery.SeriesLimit limit) {}

  /** The grid and series limit of {@code request}; throws what the call would for an invalid request. */
  public RangeShape rangeShape(QueryRangeRequest request) {
    MetricQuery query = query(request.hasQuery(), request.getQuery());
    TimeWindow window = context.ranges().resolve(ProtoQueries.timeRange(request.getTimeRange(), context.clock()));
    Duration step = request.getTimeRange().hasStep()
        ? ProtoMetricQuery.duration(request.getTimeRange().getStep(), "time_range.step") : defaultStep(window);
    StepGrid steps = StepGrid.align(window, step, MAX_STEPS, "time_range.step");
    Duration look = query.window() == null ? steps.step() : query.window();
    checkWindow(look, steps.step());
    return new RangeShape(steps, query.limit());
  }

  Plan planRange(TenantId tenant, QueryRangeRequest request, Stats stats) {
    MetricQuery query = query(request.hasQuery(), request.getQuery());
    TimeWindow window = context.ranges().resolve(ProtoQueries.timeRange(request.getTimeRange(), context.clock()));
    Duration step = request.getTimeRange().hasStep()
        ? ProtoMetricQuery.duration(request.getTimeRange().getStep(), "time_range.step") : defaultStep(window);
    StepGrid steps = StepGrid.align(window, step, MAX_STEPS, "time_range.step");
    Duration look = query.window() == null ? steps.step() : query.window();
    checkWindow(look, steps.step());
    return plan(tenant, query, EvaluationGrid.of(steps, look), stats);
  }

  Plan planInstant(TenantId tenant, QueryInstantRequest request, Stats stats) {
    MetricQuery query = query(request.hasQuery(), request.getQuery());
    Instant at = request.hasTime() ? ProtoQueries.instant(request.getTime(), "time") : context.clock().instant();
    Duration look = query.window() == null ? INSTANT_WINDOW : query.window();
    if (look.compareTo(context.ranges().maxSpan()) > 0) {
      throw tooLarge("query.window", "`query.window` is " + look + "; the maximum is " + context.ranges().maxSpan());
    }
    return plan(tenant, query, EvaluationGrid.instant(at, look), stats);
  }

  private Plan plan(TenantId tenant, MetricQuery query, EvaluationGrid grid, Stats stats) {
    Sql find = lookup.compile(tenant, query.metricName(),
        grid.firstCovered().minus(MetricQueryCompiler.PREVIOUS_POINT_LOOKBACK), grid.end());
    QueryResult found = context.store().query(find, "TSV");
    stats.add(found);
    String first = found.text().lines().filter(l -> !l.isBlank()).findFirst().orElse(null);
    if (first == null) {
      return new Plan(find, null, query, grid);
    }
    String[] f = first.split("\t", -1);
    MetricShape shape = new MetricShape(MetricShape.MetricKind.ofCode(Integer.parseInt(f[0])),
        Integer.parseInt(f[1]) == 2, Integer.parseInt(f[2]) == 1, f.length > 3 ? f[3] : "");
    return new Plan(find, compiler.compile(tenant, query, shape, grid, true), query, grid);
  }

  private MetricQuery query(boolean present, com.kubetelemetry.api.v1.MetricQuery in) {
    if (!present) {
      throw ProtoMetricQuery.invalid("query", "`query` is required: set at least `query.metric_name`");
    }
    MetricQuery query = ProtoMetricQuery.convert(in);
    MetricQueryCompiler.checkRequest(query);
    int allowed = Math.max(1, context.settings().maxSeries());
    int asked = query.limit().maxSeries();
    if (asked > allowed) {
      throw tooLarge("query.limit.max_series", "`query.limit.max_series` is " + asked + "; this server returns at "
          + "most " + allowed + " series: lower it, or narrow the query with `query.matchers` or an aggregation");
    }
    if (asked == 0) {
      var l = query.limit();
      query = query.withLimit(new MetricQuery.SeriesLimit(Math.min(MetricQueryCompiler.DEFAULT_SERIES, allowed),
          l.by(), l.ascending()));
    }
    return query;
  }

  private SeriesRows.Decoded run(CompiledMetricQuery query, Stats stats, UnaryOperator<Sql> pacing) {
    QueryResult result = context.store().query(pacing.apply(query.sql()), "JSONCompactEachRow");
    stats.add(result);
    SeriesRows.Decoded decoded = SeriesRows.decode(result.text(), query);
    long points = (long) decoded.series().size() * query.grid().points();
    long maxPoints = context.settings().maxPoints();
    if (points > maxPoints) {
      throw tooLarge("query.limit.max_series", "the answer has " + decoded.series().size() + " series x "
          + query.grid().points() + " steps = " + points + " points; the maximum is " + maxPoints
          + ": lower `query.limit.max_series`, raise `time_range.step` or narrow `time_range`");
    }
    return decoded;
  }

  static Duration defaultStep(TimeWindow window) {
    long seconds = Math.max(1, Math.ceilDiv(window.span().toSeconds(), TARGET_POINTS));
    return Duration.ofSeconds(seconds > 60 ? Math.ceilDiv(seconds, 60) * 60 : seconds);
  }

  private void checkWindow(Duration window, Duration step) {
    if (window.compareTo(context.ranges().maxSpan()) > 0) {
      throw tooLarge("query.window", "`query.window` is " + window + "; the maximum is " + context.ranges().maxSpan());
    }
    if (window.toNanos() / step.toNanos() > MAX_WINDOW_STEPS) {
      throw tooLarge("query.window", "`query.window` spans " + window.toNanos() / step.toNanos() + " steps; the "
          + "maximum is " + MAX_WINDOW_STEPS + ": shorten `query.window` or raise `time_range.step`");
    }
  }

  private QueryInfo info(Plan plan, CompiledMetricQuery query, long total, Stats stats, long started) {
    QueryInfo.Builder info = QueryInfo.newBuilder().setStep(duration(plan.grid().step()))
        .setStats(QueryStats.newBuilder().setRowsRead(stats.rowsRead)
            .setElapsed(duration(Duration.ofNanos(System.nanoTime() - started))));
    if (query == null) {
      return info.build();
    }
    info.setMetricType(MetricType.forNumber(query.shape().kind().code()))
        .setUnit(query.rate() ? query.shape().unit() + "/s" : query.shape().unit())
        .setTotalSeries(total)
        .setTruncated(total > query.maxSeries());
    if (query.rollup()) {
      info.setRollupUsed(true).setRollupResolution(duration(MetricQueryCompiler.ROLLUP_RESOLUTION));
    }
    return info.build();
  }

  private static com.google.protobuf.Duration duration(Duration d) {
    return ProtoQueries.duration(d.toNanos());
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static QueryException tooLarge(String field, String message) {
    return new QueryException(QueryException.Kind.RESOURCE_EXHAUSTED, field, message);
  }

  /** Rows the engine read across the statements of one call. */
  public static final class Stats {
    private long rowsRead;

    void add(QueryResult r) {
      rowsRead += r.rowsScanned();
    }
  }
}
