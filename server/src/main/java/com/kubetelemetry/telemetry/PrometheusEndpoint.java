/** {@code GET /metrics}: the server's own metrics in the Prometheus text exposition format (version 0.0.4). */
package com.kubetelemetry.telemetry;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import java.util.List;
import java.util.function.Consumer;

/** Each source appends its families; the endpoint concatenates them on every scrape (they are cheap counters). */
public final class PrometheusEndpoint {
  private static final MediaType TEXT = MediaType.parse("text/plain; version=0.0.4; charset=utf-8");

  private final List<Consumer<StringBuilder>> sources;

  public PrometheusEndpoint(List<Consumer<StringBuilder>> sources) {
    this.sources = List.copyOf(sources);
  }

  /** The text a scrape returns. */
  public String scrape() {
    StringBuilder out = new StringBuilder(4096);
    out.append("# HELP kt_up 1 while the server runs.\n# TYPE kt_up gauge\nkt_up 1\n");
    sources.forEach(s -> s.accept(out));
    return out.toString();
  }

  /** The HTTP service to bind at {@code /metrics}. */
  public HttpService service() {
    return (ctx, req) -> HttpResponse.of(HttpStatus.OK, TEXT, scrape());
  }

  /**
   * {@code /metrics} shared with the dashboard, whose Metrics page has the same path: a browser opening the page
   * (a link, a reload, a shared URL) asks for {@code text/html} and gets {@code page}; scrapers (Prometheus asks for
   * text/plain or OpenMetrics, curl for anything) get the metrics.
   */
  public HttpService serviceBeside(HttpService page) {
    HttpService metrics = service();
    return (ctx, req) -> {
      String accept = req.headers().get(HttpHeaderNames.ACCEPT, "");
      return accept.contains("text/html") ? page.serve(ctx, req) : metrics.serve(ctx, req);
    };
  }
}
