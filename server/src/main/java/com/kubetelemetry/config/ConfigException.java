/** Start-up failure caused by a setting: unknown key, wrong type, value out of range, unreadable file. */
package com.kubetelemetry.config;

/** The message names the setting and says what was expected, e.g. "server.port: expected 0..65535, got '70000'". */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
