/** The cache's request and response metadata: {@code cache-control: no-cache} in, {@code x-cache} out. */
package com.kubetelemetry.cache;

import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Locale;

/** Reads and writes the metadata of the call being served on this thread; outside a call both do nothing. */
public final class CacheHeaders {
  /** Request metadata; a value containing {@code no-cache} (or {@code no-store}) bypasses the cache. */
  public static final String CACHE_CONTROL = "cache-control";

  private CacheHeaders() {}

  /** True when the current call asked to bypass the cache. */
  public static boolean bypassRequested() {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    if (ctx == null) {
      return false;
    }
    for (String v : ctx.request().headers().getAll(CACHE_CONTROL)) {
      String lower = v.toLowerCase(Locale.ROOT);
      if (lower.contains("no-cache") || lower.contains("no-store")) {
        return true;
      }
    }
    return false;
  }

  /** Sets {@code x-cache} on the current call's response. */
  public static void report(CacheSource source) {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    if (ctx != null) {
      ctx.setAdditionalResponseHeader(CacheSource.HEADER, source.header());
    }
  }
}
