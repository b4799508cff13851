/** The embedded ClickHouse store: libchdb in this process, a small pool of connections on one data directory. */
package com.kubetelemetry.storage.chdb;

import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.InsertTarget;
import com.kubetelemetry.storage.NativeBlock;
import com.kubetelemetry.storage.QueryResult;
import com.kubetelemetry.storage.ResultStream;
import com.kubetelemetry.storage.Store;
import com.kubetelemetry.storage.StoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens {@code poolSize} connections on {@code options.dataDirectory()} (data survives restarts). Connections run
 * statements in parallel; each is used by one caller at a time. Inserts write Native blocks to a spool file and
 * load it with {@code INSERT ... FROM INFILE}, so no data ever travels in the SQL text (CHDB.md, hazard 2).
 */
public final class EmbeddedStore implements Store {

  private final EmbeddedStoreOptions options;
  private final BlockingQueue<ChdbConnection> idle;
  private final List<ChdbConnection> all = new ArrayList<>();
  private final Path spoolDirectory;
  private final AtomicLong spoolCounter = new AtomicLong();
  private final String engineVersion;
  private volatile boolean closed;

  public EmbeddedStore(EmbeddedStoreOptions options) {
    this.options = options;
    this.idle = new ArrayBlockingQueue<>(options.poolSize());
    ChdbLibrary lib = new ChdbLibrary(options.library());
    JvmSignalHandlers signals = new JvmSignalHandlers();
    String dataDir = options.dataDirectory().toAbsolutePath().toString();
    try {
      Files.createDirectories(options.dataDirectory());
      this.spoolDirectory = Files.createTempDirectory("chdb-insert-");
      for (int i = 0; i < options.poolSize(); i++) {
        ChdbConnection connection = ChdbConnection.open(lib, signals, dataDir);
        all.add(connection);
        idle.add(connection);
      }
      this.engineVersion = query(Sql.of("SELECT version()"), "TSV").text().strip();
    } catch (IOException e) {
      closeConnections();
      throw new UncheckedIOException("cannot prepare data directory " + dataDir, e);
    } catch (RuntimeException e) {
      closeConnections();
      throw e;
    }
  }

  @Override
  public QueryResult query(Sql sql, String format) {
    ChdbConnection connection = acquire();
    try {
      return connection.query(sql, format);
    } finally {
      release(connection);
    }
  }

  @Override
  public ResultStream stream(Sql sql, String format) {
    ChdbConnection connection = acquire();
    try {
      return new ChdbResultStream(connection, connection.startStream(sql, format), this::release);
    } catch (RuntimeException e) {
      release(connection);
      throw e;
    }
  }

  @Override
  public void execute(List<Sql> statements) {
    ChdbConnection connection = acquire();
    try {
      for (Sql statement : statements) {
        connection.query(statement, "TSV");
      }
    } finally {
      release(connection);
    }
  }

  @Override
  public void insert(String table, List<NativeBlock> blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    String columnList = String.join(", ", InsertTarget.columns(table, blocks));
    String qualified = qualify(table);
    Path spool = spoolDirectory.resolve("insert-" + spoolCounter.incrementAndGet() + ".native");
    try {
      writeSpool(spool, blocks);
      query(Sql.of("INSERT INTO " + qualified + " (" + columnList + ") FROM INFILE '" + spool
          + "' FORMAT Native"), "TSV");
    } finally {
      try {
        Files.deleteIfExists(spool);
      } catch (IOException ignored) {
        // A leftover spool file is removed with the directory on close.
      }
    }
  }

  @Override
  public String engineVersion() {
    return engineVersion;
  }

  @Override
  public String kind() {
    return "embedded";
  }

  @Override
  public boolean isHealthy() {
    if (closed) {
      return false;
    }
    try {
      return query(Sql.of("SELECT 1"), "TSV").text().strip().equals("1");
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Waits for every connection to come back (running statements finish), then closes them all. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (int i = 0; i < all.size(); i++) {
      try {
        idle.poll(options.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closeConnections();
    deleteSpoolDirectory();
  }

  /** Name of the database that unqualified table names belong to. */
  public String database() {
    return options.database();
  }

  private String qualify(String table) {
    return InsertTarget.qualified(table, options.database());
  }

  private static void writeSpool(Path spool, List<NativeBlock> blocks) {
    ByteBuffer[] buffers = blocks.stream().map(b -> ByteBuffer.wrap(b.data())).toArray(ByteBuffer[]::new);
    try (FileChannel channel = FileChannel.open(spool, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long remaining = blocks.stream().mapToLong(b -> b.data().length).sum();
      while (remaining > 0) {
        remaining -= channel.write(buffers);
      }
    } catch (IOException e) {
      throw new StoreException(0, "cannot write insert spool file " + spool + ": " + e.getMessage(), e);
    }
  }

  private ChdbConnection acquire() {
    if (closed) {
      throw new StoreException(0, "the embedded store is closed");
    }
    try {
      ChdbConnection connection = idle.poll(options.acquireTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (connection == null) {
        throw new StoreException(0, "all " + options.poolSize() + " storage connections stayed busy for "
            + options.acquireTimeout().toMillis() + " ms");
      }
      return connection;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(0, "interrupted while waiting for a storage connection", e);
    }
  }

  private void release(ChdbConnection connection) {
    idle.add(connection);
  }

  private void closeConnections() {
    for (ChdbConnection connection : all) {
      connection.close();
    }
  }

  private void deleteSpoolDirectory() {
    if (spoolDirectory == null) {
      return;
    }
    try (var files = Files.list(spoolDirectory)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(spoolDirectory);
    } catch (IOException ignored) {
      // Temporary files only; nothing acknowledged depends on them.
    }
  }
}
