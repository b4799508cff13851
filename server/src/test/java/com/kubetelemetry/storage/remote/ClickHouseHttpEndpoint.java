/**
 * TEST FIXTURE, not a product feature: ClickHouse's HTTP interface served over an {@link EmbeddedStore}, so the
 * remote store (clickhouse-jdbc) can be tested on machines where no current ClickHouse server can be installed.
 */
package com.kubetelemetry.storage.remote;

import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.QueryResult;
import com.kubetelemetry.storage.RenderedParamValue;
import com.kubetelemetry.storage.StoreException;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Speaks what clickhouse-jdbc 0.11.0 (client-v2) sends, recorded by {@code RemoteStoreTest}: {@code POST
 * /?param_<name>=..&<setting>=..} with the statement in the body and headers {@code X-ClickHouse-Format},
 * {@code X-ClickHouse-Database} and basic auth, or for an insert {@code INSERT INTO t (cols) FORMAT Native} in the
 * {@code query} URL parameter and the data in the (chunked) body; {@code GET /ping}. Plain HTTP clients may also
 * use {@code GET} with {@code query}, {@code default_format} and {@code query_id}. Answers carry {@code X-ClickHouse-Summary}, {@code -Format}, {@code -Query-Id},
 * {@code -Server-Display-Name} and {@code -Timezone}; failures are HTTP 500 with {@code X-ClickHouse-Exception-Code}
 * and the engine's {@code Code: N. DB::Exception: ...} text. Settings in the URL join the statement as a SETTINGS
 * clause. Insert data is written to a temporary file and loaded with {@code INSERT ... FROM INFILE} (chDB splits
 * statement text at blank lines, so data never travels inline). Not supported: the {@code database} parameter for
 * unqualified names (every statement of ours qualifies its tables), sessions, compressed bodies ({@code compress=1}
 * or {@code decompress=1} fail clearly: test URLs turn compression off). {@link #stop()} and {@link #start()} take
 * the listener down and back up on the same port, for server-down tests; the engine stays open.
 */
public final class ClickHouseHttpEndpoint implements AutoCloseable {
  /** What one request carried, for tests that check what the driver sends. */
  public record Request(String method, String path, Map<String, String> parameters, Map<String, List<String>> headers,
      String statement, int bodyBytes) {}

  private static final Set<String> NOT_SETTINGS = Set.of("query", "database", "default_format", "query_id",
      "session_id", "session_timeout", "session_check", "user", "password", "quota_key", "buffer_size",
      "wait_end_of_query", "role", "compress", "decompress", "enable_http_compression");
  private static final Pattern INSERT_DATA =
      Pattern.compile("(?is)^\\s*(INSERT\\s+INTO\\s+.+?)\\s+FORMAT\\s+([A-Za-z]+)\\s*$");

  private final EmbeddedStore store;
  private final Path spool;
  private final AtomicLong counter = new AtomicLong();
  private final ConcurrentLinkedDeque<Request> requests = new ConcurrentLinkedDeque<>();
  private final AtomicInteger overloadedAnswers = new AtomicInteger();
  private int port;
  private HttpServer server;
  private ExecutorService executor;

  private ClickHouseHttpEndpoint(EmbeddedStore store) {
    this.store = store;
    try {
      this.spool = Files.createTempDirectory("clickhouse-http-fixture-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Listens on a free port of 127.0.0.1 over {@code store} (which the caller keeps owning). */
  public static ClickHouseHttpEndpoint start(EmbeddedStore store) {
    ClickHouseHttpEndpoint endpoint = new ClickHouseHttpEndpoint(store);
    endpoint.start();
    return endpoint;
  }

  /** Starts listening again, on the port of the first start. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port, e);
    }
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "clickhouse-http-fixture");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    port = server.getAddress().getPort();
  }

  /** Stops listening and closes open connections: the driver then sees a server that is down. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    server = null;
  }

  public int port() {
    return port;
  }

  /** A JDBC URL for this endpoint: database {@code database}, compression off (the fixture serves plain bodies). */
  public String jdbcUrl(String database) {
    return "jdbc:clickhouse://127.0.0.1:" + port + "/" + database + "?compress=0";
  }

  /** Answers the next {@code count} statements as an overloaded server does (code 202), then serves again. */
  public void refuseNext(int count) {
    overloadedAnswers.set(count);
  }

  /** Requests received so far (the latest 200), oldest first. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    stop();
    try (var files = Files.list(spool)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(spool);
    } catch (IOException ignored) {
      // Temporary files only.
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> parameters = parameters(exchange.getRequestURI().getRawQuery());
      byte[] body = exchange.getRequestBody().readAllBytes();
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/ping")) {
        record(exchange, parameters, null, body.length);
        reply(exchange, 200, "Ok.\n".getBytes(StandardCharsets.UTF_8), Map.of());
        return;
      }
      String statement = parameters.get("query");
      boolean dataInBody = statement != null && body.length > 0;
      if (statement == null) {
        statement = new String(body, StandardCharsets.UTF_8);
      }
      record(exchange, parameters, statement, body.length);
      if (overloadedAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        fail(exchange, 202, "Code: 202. DB::Exception: Too many simultaneous queries. Maximum: 1. "
            + "(TOO_MANY_SIMULTANEOUS_QUERIES)");
        return;
      }
      try {
        answer(exchange, parameters, statement, dataInBody ? body : null);
      } catch (StoreException e) {
        fail(exchange, e.code(), e.getMessage());
      } catch (IllegalArgumentException e) {
        fail(exchange, 36, "Code: 36. DB::Exception: " + e.getMessage() + " (BAD_ARGUMENTS)");
      }
    }
  }

  private void answer(HttpExchange exchange, Map<String, String> parameters, String statement, byte[] data)
      throws IOException {
    if ("1".equals(parameters.get("compress")) || "1".equals(parameters.get("decompress"))) {
      throw new IllegalArgumentException("the test endpoint serves uncompressed bodies only: add compress=0 to the URL");
    }
    String format = exchange.getRequestHeaders().getFirst("X-ClickHouse-Format");
    if (format == null) {
      format = parameters.getOrDefault("default_format", "TabSeparated");
    }
    List<Param> params = new ArrayList<>();
    Map<String, String> settings = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      if (e.getKey().startsWith("param_")) {
        params.add(new Param(e.getKey().substring(6), "String", new RenderedParamValue(e.getValue())));
      } else if (!NOT_SETTINGS.contains(e.getKey())) {
        settings.put(e.getKey(), e.getValue());
      }
    }
    Path file = null;
    String text = statement.strip();
    if (data != null) {
      Matcher insert = INSERT_DATA.matcher(text);
      if (!insert.matches()) {
        throw new IllegalArgumentException("a request body next to a query parameter must be INSERT data");
      }
      file = spool.resolve("insert-" + counter.incrementAndGet() + ".data");
      Files.write(file, data);
      // An INSERT takes its settings before the data clause: INSERT ... FROM INFILE ... SETTINGS ... FORMAT ...
      StringBuilder clause = new StringBuilder();
      settings.forEach((name, value) -> clause.append(clause.isEmpty() ? " SETTINGS " : ", ").append(name)
          .append(" = ").append(settingValue(name, value)));
      settings.clear();
      text = insert.group(1) + " FROM INFILE '" + file + "'" + clause + " FORMAT " + insert.group(2);
    }
    try {
      QueryResult result = store.query(new Sql(text, params, settings), format);
      String queryId = parameters.getOrDefault("query_id", UUID.randomUUID().toString());
      String summary = "{\"read_rows\":\"" + result.rowsScanned() + "\",\"read_bytes\":\"0\",\"written_rows\":\"0\","
          + "\"written_bytes\":\"0\",\"total_rows_to_read\":\"" + result.rowsScanned() + "\",\"result_rows\":\""
          + result.rows() + "\",\"result_bytes\":\"" + result.data().length + "\",\"elapsed_ns\":\""
          + (long) (result.elapsedSeconds() * 1e9) + "\"}";
      reply(exchange, 200, result.data(), Map.of("X-ClickHouse-Summary", summary, "X-ClickHouse-Format", format,
          "X-ClickHouse-Query-Id", queryId));
    } finally {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static String settingValue(String name, String value) {
    if (!name.matches("[a-z][a-z0-9_]{0,99}") || !value.matches("[A-Za-z0-9_.\\-]{1,64}")) {
      throw new IllegalArgumentException("invalid setting " + name + "=" + value);
    }
    return value;
  }

  private void fail(HttpExchange exchange, int code, String message) throws IOException {
    String text = message.strip();
    if (!text.startsWith("Code:")) {
      text = "Code: " + code + ". DB::Exception: " + text;
    }
    if (!text.contains("(version ")) {
      text = text + " (version " + store.engineVersion() + ")";
    }
    // Code 0 is a failure outside the engine (e.g. its pool stayed busy): ClickHouse reports those as 1001.
    int errorCode = code == 0 ? 1001 : code;
    reply(exchange, 500, (text + "\n").getBytes(StandardCharsets.UTF_8),
        Map.of("X-ClickHouse-Exception-Code", Integer.toString(errorCode)));
  }

  private void reply(HttpExchange exchange, int status, byte[] data, Map<String, String> headers)
      throws IOException {
    var out = exchange.getResponseHeaders();
    out.set("Content-Type", status == 200 ? "application/octet-stream" : "text/plain; charset=UTF-8");
    out.set("X-ClickHouse-Server-Display-Name", "telemetry-test-endpoint");
    out.set("X-ClickHouse-Timezone", "UTC");
    headers.forEach(out::set);
    exchange.sendResponseHeaders(status, data.length == 0 ? -1 : data.length);
    if (data.length > 0) {
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(data);
      }
    }
  }

  private void record(HttpExchange exchange, Map<String, String> parameters, String statement, int bodyBytes) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    requests.addLast(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
        Map.copyOf(parameters), headers, statement, bodyBytes));
    while (requests.size() > 200) {
      requests.pollFirst();
    }
  }

  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> result = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return result;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      result.put(name, value);
    }
    return result;
  }
}
