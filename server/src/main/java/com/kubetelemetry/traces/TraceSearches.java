/** Runs a trace search's three statements (candidates, time bounds, summaries) and returns the summary rows. */
package com.kubetelemetry.traces;

import com.kubetelemetry.query.PlannedStatement;
import com.kubetelemetry.query.TenantId;
import com.kubetelemetry.query.TimeWindow;
import com.kubetelemetry.query.TraceSearch;
import com.kubetelemetry.query.TraceSearchCompiler;
import com.kubetelemetry.read.EngineRow;
import com.kubetelemetry.read.EngineRows;
import com.kubetelemetry.storage.Store;
import java.time.Instant;
import java.util.List;

/**
 * The ids found by the first statement are bound as an array parameter of the next two, so the expensive filter
 * scan runs once and the summaries read only the page's traces, in the narrowest time span that holds them.
 */
public final class TraceSearches {
  private final Store store;
  private final TraceSearchCompiler compiler;

  /**
   * @param rows summary rows in the columns of {@link TraceSearchCompiler#summaries}, in result order
   * @param rowsRead rows the engine read over all statements
   */
  public record Result(List<EngineRow> rows, long rowsRead) {}

  public TraceSearches(Store store, TraceSearchCompiler compiler) {
    this.store = store;
    this.compiler = compiler;
  }

  public Result run(TenantId tenant, TraceSearch search) {
    TimeWindow window = compiler.window(search);
    EngineRows.EngineResult found = EngineRows.run(store, compiler.candidates(tenant, search, window));
    if (found.rows().isEmpty()) {
      return new Result(List.of(), found.rowsRead());
    }
    List<String> ids = found.rows().stream().map(r -> r.string(0)).toList();
    EngineRows.EngineResult bounds = EngineRows.run(store, compiler.bounds(tenant, ids));
    Instant from = window.start();
    Instant to = window.end();
    if (!bounds.rows().isEmpty() && bounds.rows().getFirst().int64(0) > 0) {
      EngineRow b = bounds.rows().getFirst();
      from = Instant.ofEpochSecond(b.int64(0));
      to = Instant.ofEpochSecond(b.int64(1) + 1);
    }
    EngineRows.EngineResult summaries = EngineRows.run(store, compiler.summaries(tenant, search, window, ids, from,
        to));
    return new Result(summaries.rows(), found.rowsRead() + bounds.rowsRead() + summaries.rowsRead());
  }

  /** The statements as Explain shows them; the ids of statements 2 and 3 come from statement 1 at run time. */
  public List<PlannedStatement> plan(TenantId tenant, TraceSearch search) {
    TimeWindow window = compiler.window(search);
    return List.of(
        new PlannedStatement("find the ids of matching traces (one page)", compiler.candidates(tenant, search,
            window)),
        new PlannedStatement("narrow the time range to those traces (ids from the first statement)",
            compiler.bounds(tenant, List.of())),
        new PlannedStatement("sum up each trace over all its spans (ids and range from the statements before)",
            compiler.summaries(tenant, search, window, List.of(), window.start(), window.end())));
  }
}
