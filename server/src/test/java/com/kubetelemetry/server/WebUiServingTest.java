/** The main port serves the web UI build next to the API: files, client-route fallback, caching and gzip. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.webui.WebUiService;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebUiServingTest {
  private static final String INDEX = "<!doctype html><title>Kube Telemetry</title><div id=\"root\"></div>";
  private static final String SCRIPT = "console.log('dashboard');";
  private static final Path BUILD = writeBuild();

  @RegisterExtension
  static final TestServer server = TestServer.create(RecordingBackend::new,
      c -> c.withServer(c.server().withWebUiDirectory(BUILD.toString())));

  /** A stand-in for web-ui/dist: index.html and one hashed asset with its pre-compressed copy. */
  private static Path writeBuild() {
    try {
      Path dir = Files.createTempDirectory("webui-build-");
      Files.createDirectories(dir.resolve("assets"));
      Files.writeString(dir.resolve("index.html"), INDEX);
      Files.writeString(dir.resolve("assets/index-abc123.js"), SCRIPT);
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
        out.write(SCRIPT.getBytes(StandardCharsets.UTF_8));
      }
      Files.write(dir.resolve("assets/index-abc123.js.gz"), gz.toByteArray());
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void deleteBuild() throws IOException {
    try (Stream<Path> files = Files.walk(BUILD)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static AggregatedHttpResponse get(String path) {
    return WebClient.of(server.uri()).get(path).aggregate().join();
  }

  @Test
  void rootServesIndexHtmlRevalidated() {
    AggregatedHttpResponse r = get("/");
    assertThat(r.status()).isEqualTo(HttpStatus.OK);
    assertThat(r.contentType().is(MediaType.HTML_UTF_8)).isTrue();
    assertThat(r.contentUtf8()).isEqualTo(INDEX);
    assertThat(r.headers().get("cache-control")).isEqualTo("no-cache");
  }

  @Test
  void metricsPathIsTheDashboardPageForBrowsersAndPrometheusTextForScrapers() {
    AggregatedHttpResponse page = WebClient.of(server.uri()).execute(RequestHeaders.builder(HttpMethod.GET,
        "/metrics?metric=http.server.request.count").accept(MediaType.HTML_UTF_8).build()).aggregate().join();
    assertThat(page.status()).isEqualTo(HttpStatus.OK);
    assertThat(page.contentUtf8()).isEqualTo(INDEX);

    AggregatedHttpResponse scrape = WebClient.of(server.uri()).execute(RequestHeaders.builder(HttpMethod.GET,
        "/metrics").add("accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
        .build()).aggregate().join();
    assertThat(scrape.status()).isEqualTo(HttpStatus.OK);
    assertThat(scrape.contentType().subtype()).isEqualTo("plain");
    assertThat(scrape.contentUtf8()).contains("kt_up 1");
    assertThat(get("/metrics").contentUtf8()).contains("kt_up 1");
  }

  @Test
  void hashedAssetIsServedAndCachedForAYear() {
    AggregatedHttpResponse r = get("/assets/index-abc123.js");
    assertThat(r.status()).isEqualTo(HttpStatus.OK);
    assertThat(r.contentType().subtype()).isEqualTo("javascript");
    assertThat(r.contentUtf8()).isEqualTo(SCRIPT);
    assertThat(r.headers().get("cache-control")).contains("immutable");
  }

  @Test
  void gzipCopyIsSentToClientsThatAcceptIt() {
    AggregatedHttpResponse r = WebClient.of(server.uri()).execute(RequestHeaders.builder(HttpMethod.GET,
        "/assets/index-abc123.js").add("accept-encoding", "gzip").build()).aggregate().join();
    assertThat(r.status()).isEqualTo(HttpStatus.OK);
    assertThat(r.headers().get("content-encoding")).isEqualTo("gzip");
  }

  @Test
  void clientRoutesFallBackToIndexHtml() {
    AggregatedHttpResponse r = get("/traces/4bf92f3577b34da6a3ce929d0e0e4736?range=1h");
    assertThat(r.status()).isEqualTo(HttpStatus.OK);
    assertThat(r.contentUtf8()).isEqualTo(INDEX);
  }

  @Test
  void missingFilesAreNotFoundRatherThanIndexHtml() {
    assertThat(get("/assets/index-gone.js").status()).isEqualTo(HttpStatus.NOT_FOUND);
    assertThat(get("/logo.png").status()).isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void apiAndHealthStillAnswerOnTheSamePort() {
    AggregatedHttpResponse info = WebClient.of(server.uri()).execute(RequestHeaders.builder(HttpMethod.POST,
            "/telemetry.v1.AdminService/GetServerInfo").contentType(MediaType.JSON_UTF_8).build(), "{}")
        .aggregate().join();
    assertThat(info.status()).isEqualTo(HttpStatus.OK);
    assertThat(info.contentUtf8()).contains("version");
    assertThat(get("/readyz").contentUtf8()).contains("ready");
    AggregatedHttpResponse unknown = WebClient.of(server.uri()).execute(RequestHeaders.builder(HttpMethod.POST,
        "/telemetry.v1.NoSuchService/Call").contentType(MediaType.JSON_UTF_8).build(), "{}").aggregate().join();
    assertThat(unknown.status()).isEqualTo(HttpStatus.NOT_FOUND);
  }

  @Test
  void packagedCopyIsServedFromTheClassPath() {
    HttpService ui = WebUiService.fromClasspath(getClass().getClassLoader(), "webui-fixture");
    Server bare = Server.builder().http(0).serviceUnder("/", ui).build();
    bare.start().join();
    try {
      WebClient client = WebClient.of("http://127.0.0.1:" + bare.activeLocalPort());
      assertThat(client.get("/").aggregate().join().contentUtf8()).contains("packaged ui");
      assertThat(client.get("/logs").aggregate().join().contentUtf8()).contains("packaged ui");
      assertThat(client.get("/assets/app-abc.js").aggregate().join().contentUtf8()).contains("packaged");
    } finally {
      bare.stop().join();
    }
  }

  @Test
  void withoutABuildEveryPageSaysHowToMakeOne() throws IOException {
    Path empty = Files.createTempDirectory("webui-empty-");
    Server bare = Server.builder().http(0).serviceUnder("/", WebUiService.fromDirectory(empty)).build();
    bare.start().join();
    try {
      AggregatedHttpResponse r = WebClient.of("http://127.0.0.1:" + bare.activeLocalPort()).get("/metrics")
          .aggregate().join();
      assertThat(r.status()).isEqualTo(HttpStatus.NOT_FOUND);
      assertThat(r.contentUtf8()).contains("make web").contains("server.webUiDirectory");
    } finally {
      bare.stop().join();
      Files.delete(empty);
    }
  }
}
