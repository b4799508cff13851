/** The server's command-line arguments: --config PATH, --demo, --help. */
package com.kubetelemetry.server;

import java.nio.file.Path;
import java.util.Optional;

/** Parsed arguments; {@link #parse} throws IllegalArgumentException with a usage hint for anything else. */
public record CommandLine(Optional<Path> configFile, boolean demo, boolean help) {
  public static final String USAGE = """
      usage: java -jar server-all.jar [--config PATH] [--demo] [--help]
        --config PATH  YAML configuration file (sections server, storage, retention, ingest, auth, demo)
        --demo         generate demo telemetry (same as demo.enabled: true)
        --help         print this text
      Any setting can also come from the environment: TELEMETRY_<SECTION>_<KEY>, for example
      TELEMETRY_SERVER_PORT=9090 or TELEMETRY_INGEST_BUFFER_BYTES=256MiB; TELEMETRY_CLICKHOUSE_URL sets storage.url.
      """;

  public static CommandLine parse(String... args) {
    Optional<Path> config = Optional.empty();
    boolean demo = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--demo")) {
        demo = true;
      } else if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
      } else if (arg.equals("--config")) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new IllegalArgumentException("--config needs a file path");
        }
        config = Optional.of(Path.of(args[++i]));
      } else if (arg.startsWith("--config=")) {
        config = Optional.of(Path.of(arg.substring("--config=".length())));
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    return new CommandLine(config, demo, help);
  }
}
