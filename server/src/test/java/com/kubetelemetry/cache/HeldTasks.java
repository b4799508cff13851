/** An executor that holds background tasks until the test runs them, so "served before the refresh" shows. */
package com.kubetelemetry.cache;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

final class HeldTasks implements Executor {
  private final Queue<Runnable> tasks = new ArrayDeque<>();

  @Override
  public void execute(Runnable task) {
    tasks.add(task);
  }

  /** Runs the held tasks (and any they hold in turn) on the caller's thread; how many ran. */
  int runAll() {
    int n = 0;
    for (Runnable r = tasks.poll(); r != null; r = tasks.poll()) {
      r.run();
      n++;
    }
    return n;
  }
}
