/** What happened to a Kubernetes object: the three watch event types, numbered as the tables' EventType enum. */
package com.kubetelemetry.resources;

/** Numbers match {@code Enum8('ADDED' = 1, 'MODIFIED' = 2, 'DELETED' = 3)} and the API's ChangeType. */
public enum ChangeType {
  ADDED(1), MODIFIED(2), DELETED(3);

  private final int number;

  ChangeType(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  /** The type with this number; MODIFIED for anything unknown. */
  public static ChangeType of(int number) {
    return switch (number) {
      case 1 -> ADDED;
      case 3 -> DELETED;
      default -> MODIFIED;
    };
  }
}
