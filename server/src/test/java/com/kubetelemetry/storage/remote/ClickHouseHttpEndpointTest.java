/** The test ClickHouse HTTP endpoint speaks the parts of the protocol the driver and plain HTTP clients use. */
package com.kubetelemetry.storage.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.chdb.EmbeddedStore;
import com.kubetelemetry.storage.chdb.EmbeddedStoreOptions;
import com.kubetelemetry.storage.chdb.TestLibrary;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClickHouseHttpEndpointTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private EmbeddedStore engine;
  private ClickHouseHttpEndpoint endpoint;

  @BeforeAll
  void setUp(@TempDir Path dir) {
    engine = new EmbeddedStore(EmbeddedStoreOptions.of(TestLibrary.path(), dir, "e"));
    endpoint = ClickHouseHttpEndpoint.start(engine);
  }

  @AfterAll
  void tearDown() {
    endpoint.close();
    engine.close();
  }

  @Test
  void pingAnswersOk() throws Exception {
    HttpResponse<String> ping = send(HttpRequest.newBuilder(uri("/ping")).GET());
    assertThat(ping.statusCode()).isEqualTo(200);
    assertThat(ping.body()).isEqualTo("Ok.\n");
  }

  @Test
  void getWithQueryParametersSettingsAndDefaultFormat() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/?query="
        + encode("SELECT {n:UInt8} + 1 AS x, getSetting('max_result_rows') AS m") + "&param_n=41"
        + "&max_result_rows=7&default_format=JSONCompactEachRow&query_id=q-1")).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body().strip()).isEqualTo("[42, 7]");
    assertThat(response.headers().firstValue("X-ClickHouse-Format")).contains("JSONCompactEachRow");
    assertThat(response.headers().firstValue("X-ClickHouse-Query-Id")).contains("q-1");
    assertThat(response.headers().firstValue("X-ClickHouse-Timezone")).contains("UTC");
    assertThat(response.headers().firstValue("X-ClickHouse-Server-Display-Name")).isPresent();
    assertThat(response.headers().firstValue("X-ClickHouse-Summary").orElseThrow())
        .contains("\"read_rows\":\"").contains("\"result_rows\":\"1\"");
  }

  @Test
  void postBodyIsTheStatementAndTheFormatHeaderWins() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/?default_format=JSONEachRow"))
        .header("X-ClickHouse-Format", "TSV").POST(HttpRequest.BodyPublishers.ofString("SELECT 'a\\tb'")));
    assertThat(response.body()).isEqualTo("a\\tb\n");
  }

  @Test
  void insertDataTravelsInTheBody() throws Exception {
    engine.execute(List.of(Sql.of("CREATE DATABASE IF NOT EXISTS e"),
        Sql.of("CREATE TABLE IF NOT EXISTS e.rows (id UInt32, s String) ENGINE = MergeTree ORDER BY id")));
    HttpResponse<String> insert = send(HttpRequest.newBuilder(uri("/?query="
        + encode("INSERT INTO e.rows (id, s) FORMAT TSV") + "&max_insert_threads=1"))
        .POST(HttpRequest.BodyPublishers.ofString("1\tone\n2\ttwo\n")));
    assertThat(insert.statusCode()).as(insert.body()).isEqualTo(200);
    assertThat(engine.query(Sql.of("SELECT groupArray(s) FROM (SELECT s FROM e.rows ORDER BY id)"), "TSV")
        .text().strip()).isEqualTo("['one','two']");
  }

  @Test
  void errorsAreHttp500WithTheCodeHeaderAndClickHouseText() throws Exception {
    HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/"))
        .POST(HttpRequest.BodyPublishers.ofString("SELECT * FROM e.missing_table")));
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("X-ClickHouse-Exception-Code")).contains("60");
    assertThat(response.body()).startsWith("Code: 60. DB::Exception: ").contains("missing_table")
        .contains("(version ");
  }

  @Test
  void stopsAndStartsAgainOnTheSamePort() throws Exception {
    int port = endpoint.port();
    endpoint.stop();
    assertThatThrownBy(() -> send(HttpRequest.newBuilder(uri("/ping")).GET())).isInstanceOf(ConnectException.class);
    endpoint.start();
    assertThat(endpoint.port()).isEqualTo(port);
    assertThat(send(HttpRequest.newBuilder(uri("/ping")).GET()).body()).isEqualTo("Ok.\n");
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + endpoint.port() + pathAndQuery);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
