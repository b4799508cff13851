/** What ListResources asks for: one kind, optional group, namespace, selector, field filters, name prefix, page. */
package com.kubetelemetry.query.resources;

import java.util.List;
import java.util.Objects;

/**
 * @param after the (namespace, name, uid) the previous page ended with, or null for the first page
 */
public record ResourceListing(String kind, String group, String namespace, List<LabelRequirement> selector,
    List<FieldFilter> fields, String namePrefix, int pageSize, Position after) {

  /** A position in the (Namespace, Name, Uid) order of a listing. */
  public record Position(String namespace, String name, String uid) {}

  public ResourceListing {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(namespace, "namespace");
    selector = List.copyOf(selector);
    fields = List.copyOf(fields);
    Objects.requireNonNull(namePrefix, "namePrefix");
  }
}
