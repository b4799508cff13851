/** A real store wrapped so a test can hold inserts at a gate and count them; every call reaches the real engine. */
package com.kubetelemetry.ingest;

import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.QueryResult;
import com.kubetelemetry.storage.ResultStream;
import com.kubetelemetry.storage.Store;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Inserts wait for {@link #open()} when the gate starts closed; {@link #inserts()} counts INSERT statements. */
final class GatedStore implements Store {
  private final Store delegate;
  private final CountDownLatch gate;
  private final CountDownLatch insertWaiting = new CountDownLatch(1);
  private final AtomicInteger inserts = new AtomicInteger();

  GatedStore(Store delegate, boolean startClosed) {
    this.delegate = delegate;
    this.gate = new CountDownLatch(startClosed ? 1 : 0);
  }

  void open() {
    gate.countDown();
  }

  /** Blocks until an insert is held at the gate. */
  void awaitHeldInsert() throws InterruptedException {
    if (!insertWaiting.await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("no insert reached the gate");
    }
  }

  int inserts() {
    return inserts.get();
  }

  @Override
  public void insert(String table, List<NativeBlock> blocks) {
    insertWaiting.countDown();
    try {
      if (!gate.await(60, TimeUnit.SECONDS)) {
        throw new AssertionError("gate never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    inserts.incrementAndGet();
    delegate.insert(table, blocks);
  }

  @Override
  public QueryResult query(Sql sql, String format) {
    return delegate.query(sql, format);
  }

  @Override
  public ResultStream stream(Sql sql, String format) {
    return delegate.stream(sql, format);
  }

  @Override
  public void execute(List<Sql> statements) {
    delegate.execute(statements);
  }

  @Override
  public String engineVersion() {
    return delegate.engineVersion();
  }

  @Override
  public String kind() {
    return delegate.kind();
  }

  @Override
  public boolean isHealthy() {
    return delegate.isHealthy();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
