/** Command-line parsing and the log format switch. */
package com.kubetelemetry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kubetelemetry.config.ServerConfig.LogFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  @Test
  void parsesEveryOption() {
    assertThat(CommandLine.parse()).isEqualTo(new CommandLine(Optional.empty(), false, false));
    assertThat(CommandLine.parse("--config", "/etc/t.yaml", "--demo"))
        .isEqualTo(new CommandLine(Optional.of(Path.of("/etc/t.yaml")), true, false));
    assertThat(CommandLine.parse("--config=/x.yaml").configFile()).contains(Path.of("/x.yaml"));
    assertThat(CommandLine.parse("--help").help()).isTrue();
  }

  @Test
  void rejectsUnknownAndIncompleteArguments() {
    assertThatThrownBy(() -> CommandLine.parse("--port", "1")).hasMessageContaining("unknown argument '--port'");
    assertThatThrownBy(() -> CommandLine.parse("--config")).hasMessageContaining("--config needs a file path");
    assertThatThrownBy(() -> CommandLine.parse("--config", "--demo")).hasMessageContaining("--config needs");
  }

  private static String encode(LogFormat format) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    var encoder = LogSetup.encoder(format, context);
    LoggingEvent event = new LoggingEvent("test", context.getLogger("com.example.Thing"), Level.WARN,
        "disk {} is full", null, new Object[] {"/data"});
    byte[] bytes = encoder.encode((ILoggingEvent) event);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void jsonLogLinesAreJson() throws IOException {
    String line = encode(LogFormat.JSON);
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("loggerName").asText()).isEqualTo("com.example.Thing");
    assertThat(json.get("formattedMessage").asText()).isEqualTo("disk /data is full");
    assertThat(json.has("message")).isFalse();
    assertThat(line.strip()).doesNotContain("\n");
  }

  @Test
  void textLogLinesAreText() {
    String line = encode(LogFormat.TEXT);
    assertThat(line).contains("WARN").contains("com.example.Thing - disk /data is full").doesNotStartWith("{");
  }
}
