/** A request for the graph of calls between services (and the databases, brokers and peers they call) in a period. */
package com.kubetelemetry.query.traces;

import com.kubetelemetry.query.TimeRange;
import java.util.List;

/**
 * @param timeRange the period, null for the default
 * @param services only edges touching one of these, empty for all
 */
public record ServiceGraphQuery(TimeRange timeRange, List<String> services) {
  public ServiceGraphQuery {
    services = services == null ? List.of() : List.copyOf(services);
  }
}
