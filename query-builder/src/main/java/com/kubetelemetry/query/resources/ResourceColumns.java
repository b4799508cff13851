/** The columns every object query selects, in order, with their positions for the row decoder. */
package com.kubetelemetry.query.resources;

import com.kubetelemetry.query.SqlBuilder;

/** Shared by list, get, history and watch, so one decoder reads them all. */
public final class ResourceColumns {
  public static final int GROUP = 0;
  public static final int VERSION = 1;
  public static final int KIND = 2;
  public static final int NAMESPACE = 3;
  public static final int NAME = 4;
  public static final int UID = 5;
  public static final int RESOURCE_VERSION = 6;
  public static final int RESOURCE_VERSION_NUMBER = 7;
  public static final int LABELS = 8;
  public static final int ANNOTATIONS = 9;
  public static final int OWNER_KINDS = 10;
  public static final int OWNER_NAMES = 11;
  public static final int OWNER_UIDS = 12;
  public static final int OWNER_CONTROLLERS = 13;
  public static final int PHASE = 14;
  public static final int CONDITION_TYPES = 15;
  public static final int CONDITION_STATUSES = 16;
  public static final int CONDITION_REASONS = 17;
  public static final int CONDITION_MESSAGES = 18;
  public static final int OBJECT = 19;
  public static final int EVENT_TIME_NANOS = 20;
  public static final int DELETED = 21;
  public static final int CLUSTER = 22;
  /** 1 ADDED, 2 MODIFIED, 3 DELETED. */
  public static final int EVENT_TYPE = 23;

  private ResourceColumns() {}

  /** Writes {@code SELECT <columns>} (one line). */
  static void select(SqlBuilder sql) {
    sql.line("SELECT ApiGroup, ApiVersion, Kind, Namespace, Name, Uid, ResourceVersion, ResourceVersionNumber,"
        + " Labels, Annotations, OwnerKinds, OwnerNames, OwnerUids, OwnerControllers, Phase, ConditionTypes,"
        + " ConditionStatuses, ConditionReasons, ConditionMessages, Object, toUnixTimestamp64Nano(EventTime),"
        + " Deleted, Cluster, toInt8(EventType)");
  }
}
