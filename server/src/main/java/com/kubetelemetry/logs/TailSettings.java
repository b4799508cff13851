/** How log tails poll: interval, keep-alive, how far back an idle tail keeps looking, and the poller threads. */
package com.kubetelemetry.logs;

import java.time.Duration;

/**
 * @param pollInterval time between two polls of one tail (the proto promises batches at most every 500 ms)
 * @param heartbeat an empty batch is sent when nothing was sent for this long (the proto says 15 s)
 * @param lateArrival when a poll finds nothing, the next one still looks this far back, for records stored a
 *     little after their timestamp (batching exporters, group commit)
 * @param threads poller threads shared by all tails; each poll is one short query
 * @param defaultRate records per second when the request says 0
 * @param maxRate most records per second a request may ask for
 */
public record TailSettings(Duration pollInterval, Duration heartbeat, Duration lateArrival, int threads,
    int defaultRate, int maxRate) {

  public TailSettings {
    if (pollInterval.compareTo(Duration.ofMillis(1)) < 0 || heartbeat.compareTo(pollInterval) < 0
        || lateArrival.isNegative() || threads < 1 || defaultRate < 1 || maxRate < defaultRate) {
      throw new IllegalArgumentException("invalid tail settings: " + pollInterval + ", " + heartbeat + ", "
          + lateArrival + ", " + threads + ", " + defaultRate + ", " + maxRate);
    }
  }

  /** 500 ms polls, 15 s heartbeat, 10 s late-arrival window, 2 threads, 100 records/s by default, 1,000 at most. */
  public static TailSettings defaults() {
    return new TailSettings(Duration.ofMillis(500), Duration.ofSeconds(15), Duration.ofSeconds(10), 2, 100, 1000);
  }

  /** This with another poll interval (tests poll faster). */
  public TailSettings withPollInterval(Duration d) {
    return new TailSettings(d, heartbeat.compareTo(d) < 0 ? d : heartbeat, lateArrival, threads, defaultRate,
        maxRate);
  }
}
