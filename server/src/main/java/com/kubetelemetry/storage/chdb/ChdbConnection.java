/** One open libchdb connection: runs one statement at a time, with parameters passed outside the SQL text. */
package com.kubetelemetry.storage.chdb;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import com.kubetelemetry.sql.Param;
import com.kubetelemetry.sql.Sql;
import com.kubetelemetry.storage.QueryResult;
import com.kubetelemetry.storage.StoreException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** Not thread-safe: the pool hands a connection to one caller at a time. */
final class ChdbConnection implements AutoCloseable {
  private final ChdbLibrary lib;
  /** The {@code chdb_connection*} that chdb_connect returned; close takes it. */
  private final MemorySegment connectionPointer;
  /** The {@code chdb_connection} it points to; queries take it. */
  private final MemorySegment handle;
  private boolean closed;

  private ChdbConnection(ChdbLibrary lib, MemorySegment connectionPointer) {
    this.lib = lib;
    this.connectionPointer = connectionPointer.reinterpret(ADDRESS.byteSize());
    this.handle = this.connectionPointer.get(ADDRESS, 0);
  }

  /**
   * Connects to the engine on {@code dataDir}. The JVM's crash-signal handlers are saved before and restored
   * after, whether or not this connect boots the engine.
   */
  static ChdbConnection open(ChdbLibrary lib, JvmSignalHandlers signals, String dataDir) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment argv = arena.allocate(ADDRESS, 2);
      argv.setAtIndex(ADDRESS, 0, arena.allocateFrom("clickhouse"));
      argv.setAtIndex(ADDRESS, 1, arena.allocateFrom("--path=" + dataDir));
      JvmSignalHandlers.Snapshot jvmHandlers = signals.snapshot(arena);
      MemorySegment conn;
      try {
        conn = (MemorySegment) lib.connect.invokeExact(2, argv);
      } catch (Throwable t) {
        throw new StoreException(0, "chdb_connect failed: " + t.getMessage(), t);
      } finally {
        jvmHandlers.restore();
      }
      if (conn.equals(MemorySegment.NULL)) {
        throw new StoreException(0, "chdb_connect returned no connection for " + dataDir
            + " (one process can open only one data directory at a time)");
      }
      return new ChdbConnection(lib, conn);
    }
  }

  /** Runs a statement and returns its whole result. */
  QueryResult query(Sql sql, String format) {
    MemorySegment result = start(sql, format, false);
    try {
      return toQueryResult(result);
    } finally {
      destroy(result);
    }
  }

  /** Starts a streaming query; the returned handle is read with {@link #fetch} and must be destroyed. */
  MemorySegment startStream(Sql sql, String format) {
    MemorySegment result = start(sql, format, true);
    String error = errorOf(result);
    if (error != null) {
      destroy(result);
      throw StoreException.fromEngineMessage(error);
    }
    return result;
  }

  /** The next chunk of a stream, or null at its end. */
  byte[] fetch(MemorySegment stream) {
    MemorySegment chunk;
    try {
      chunk = (MemorySegment) lib.streamFetchResult.invokeExact(handle, stream);
    } catch (Throwable t) {
      throw new StoreException(0, "chdb_stream_fetch_result failed", t);
    }
    if (chunk.equals(MemorySegment.NULL)) {
      return null;
    }
    try {
      String error = errorOf(chunk);
      if (error != null) {
        throw StoreException.fromEngineMessage(error);
      }
      byte[] data = bytesOf(chunk);
      return data.length == 0 ? null : data;
    } finally {
      destroy(chunk);
    }
  }

  void cancelStream(MemorySegment stream) {
    try {
      lib.streamCancelQuery.invokeExact(handle, stream);
    } catch (Throwable t) {
      throw new StoreException(0, "chdb_stream_cancel_query failed", t);
    }
  }

  void destroy(MemorySegment result) {
    try {
      lib.destroyQueryResult.invokeExact(result);
    } catch (Throwable t) {
      throw new StoreException(0, "chdb_destroy_query_result failed", t);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      lib.closeConn.invokeExact(connectionPointer);
    } catch (Throwable t) {
      throw new StoreException(0, "chdb_close_conn failed", t);
    }
  }

  private MemorySegment start(Sql sql, String format, boolean streaming) {
    String text = SqlText.withSettings(sql);
    List<Param> params = sql.params();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment names = arena.allocate(ADDRESS, Math.max(1, params.size()));
      MemorySegment values = arena.allocate(ADDRESS, Math.max(1, params.size()));
      for (int i = 0; i < params.size(); i++) {
        names.setAtIndex(ADDRESS, i, arena.allocateFrom(params.get(i).name()));
        values.setAtIndex(ADDRESS, i, arena.allocateFrom(ParamText.render(params.get(i))));
      }
      MemorySegment query = arena.allocateFrom(text);
      MemorySegment fmt = arena.allocateFrom(format);
      MemorySegment result;
      try {
        result = streaming
            ? (MemorySegment) lib.streamQueryWithParams.invokeExact(handle, query, fmt, names, values,
                (long) params.size())
            : (MemorySegment) lib.queryWithParams.invokeExact(handle, query, fmt, names, values,
                (long) params.size());
      } catch (Throwable t) {
        throw new StoreException(0, "chdb query call failed", t);
      }
      if (result.equals(MemorySegment.NULL)) {
        throw new StoreException(0, "chdb returned no result");
      }
      return result;
    }
  }

  private QueryResult toQueryResult(MemorySegment result) {
    String error = errorOf(result);
    if (error != null) {
      throw StoreException.fromEngineMessage(error);
    }
    try {
      long rows = (long) lib.resultRowsRead.invokeExact(result);
      long scanned = (long) lib.resultStorageRowsRead.invokeExact(result);
      double elapsed = (double) lib.resultElapsed.invokeExact(result);
      return new QueryResult(bytesOf(result), rows, scanned, elapsed);
    } catch (Throwable t) {
      throw new StoreException(0, "reading the chdb result failed", t);
    }
  }

  private String errorOf(MemorySegment result) {
    MemorySegment error;
    try {
      error = (MemorySegment) lib.resultError.invokeExact(result);
    } catch (Throwable t) {
      throw new StoreException(0, "chdb_result_error failed", t);
    }
    return error.equals(MemorySegment.NULL) ? null : error.reinterpret(Integer.MAX_VALUE).getString(0);
  }

  private byte[] bytesOf(MemorySegment result) {
    try {
      long length = (long) lib.resultLength.invokeExact(result);
      if (length == 0) {
        return new byte[0];
      }
      if (length > Integer.MAX_VALUE - 16) {
        throw new StoreException(396, "result of " + length + " bytes is too large for one buffer: stream it");
      }
      MemorySegment buffer = (MemorySegment) lib.resultBuffer.invokeExact(result);
      return buffer.reinterpret(length).toArray(JAVA_BYTE);
    } catch (StoreException e) {
      throw e;
    } catch (Throwable t) {
      throw new StoreException(0, "reading the chdb result buffer failed", t);
    }
  }
}
