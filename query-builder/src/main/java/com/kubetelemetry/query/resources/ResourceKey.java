/** Names one object: by uid, or by kind, namespace and name (group optional), for GetResource and its history. */
package com.kubetelemetry.query.resources;

import com.kubetelemetry.query.QueryException;
import java.util.Objects;

/**
 * Empty strings mean "not given". Valid when {@code uid} is given, or {@code kind} and {@code name} are.
 */
public record ResourceKey(String kind, String group, String namespace, String name, String uid) {
  public static final int MAX_TEXT = 512;

  public ResourceKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uid, "uid");
    for (String[] f : new String[][] {{"kind", kind}, {"group", group}, {"namespace", namespace}, {"name", name},
        {"uid", uid}}) {
      if (f[1].length() > MAX_TEXT) {
        throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, "key." + f[0], "`key." + f[0] + "` is "
            + f[1].length() + " characters; the maximum is " + MAX_TEXT);
      }
    }
    if (uid.isEmpty() && (kind.isEmpty() || name.isEmpty())) {
      throw new QueryException(QueryException.Kind.INVALID_ARGUMENT, "key", "`key` needs `uid`, or `kind` and "
          + "`name` (with `namespace` for namespaced objects)");
    }
  }
}
