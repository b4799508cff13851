/** Browsers on another origin: CORS preflight and headers when server.corsAllowedOrigins is set. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.config.ServerConfig;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CorsTest {
  private static final String ORIGIN = "http://localhost:5173";

  @RegisterExtension
  static final TestServer server = TestServer.create(RecordingBackend::new, c -> {
    ServerConfig.ServerSection s = c.server();
    return c.withServer(new ServerConfig.ServerSection(s.host(), s.port(), s.otlpGrpcPort(), s.otlpHttpPort(),
        s.shutdownGracePeriod(), List.of(ORIGIN), s.logFormat()));
  });

  private static AggregatedHttpResponse preflight(String origin) {
    return WebClient.of(server.uri()).execute(RequestHeaders.builder(HttpMethod.OPTIONS,
            "/telemetry.v1.AdminService/GetServerInfo")
        .add("origin", origin).add("access-control-request-method", "POST")
        .add("access-control-request-headers", "content-type,x-grpc-web").build()).aggregate().join();
  }

  @Test
  void allowedOriginGetsPreflightAnswer() {
    AggregatedHttpResponse response = preflight(ORIGIN);
    assertThat(response.headers().get("access-control-allow-origin")).isEqualTo(ORIGIN);
    assertThat(response.headers().get("access-control-allow-methods")).contains("POST");
    assertThat(response.headers().get("access-control-max-age")).isEqualTo("600");
  }

  @Test
  void otherOriginIsNotAllowed() {
    assertThat(preflight("http://evil.example").headers().get("access-control-allow-origin")).isNull();
  }
}
