/** Downcall handles for the parts of libchdb's C API the embedded store uses, bound through java.lang.foreign. */
package com.kubetelemetry.storage.chdb;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The loaded library. Signatures follow chdb.h of the pinned version (see shared/design/CHDB.md): a connection is
 * a {@code chdb_connection*} returned by {@code chdb_connect}; queries take the handle it points to.
 */
final class ChdbLibrary {
  final MethodHandle connect;
  final MethodHandle closeConn;
  final MethodHandle queryWithParams;
  final MethodHandle streamQueryWithParams;
  final MethodHandle streamFetchResult;
  final MethodHandle streamCancelQuery;
  final MethodHandle resultBuffer;
  final MethodHandle resultLength;
  final MethodHandle resultError;
  final MethodHandle resultRowsRead;
  final MethodHandle resultStorageRowsRead;
  final MethodHandle resultElapsed;
  final MethodHandle destroyQueryResult;

  ChdbLibrary(Path libraryPath) {
    if (!Files.isReadable(libraryPath)) {
      throw new IllegalStateException("libchdb not found at " + libraryPath
          + ": run `make` (it fetches the pinned @chdb/lib-linux-x64-gnu package) or set CHDB_LIB");
    }
    SymbolLookup lib = SymbolLookup.libraryLookup(libraryPath, Arena.global());
    Linker linker = Linker.nativeLinker();
    var binder = new Binder(lib, linker);
    connect = binder.bind("chdb_connect", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
    closeConn = binder.bind("chdb_close_conn", FunctionDescriptor.ofVoid(ADDRESS));
    var paramsQuery = FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    queryWithParams = binder.bind("chdb_query_with_params", paramsQuery);
    streamQueryWithParams = binder.bind("chdb_stream_query_with_params", paramsQuery);
    streamFetchResult = binder.bind("chdb_stream_fetch_result", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    streamCancelQuery = binder.bind("chdb_stream_cancel_query", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
    resultBuffer = binder.bind("chdb_result_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
    resultLength = binder.bind("chdb_result_length", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultError = binder.bind("chdb_result_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
    resultRowsRead = binder.bind("chdb_result_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultStorageRowsRead = binder.bind("chdb_result_storage_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    resultElapsed = binder.bind("chdb_result_elapsed", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS));
    destroyQueryResult = binder.bind("chdb_destroy_query_result", FunctionDescriptor.ofVoid(ADDRESS));
  }

  /** Looks symbols up and names the missing one, so a library of the wrong version fails with a clear message. */
  private record Binder(SymbolLookup lib, Linker linker) {
    MethodHandle bind(String name, FunctionDescriptor descriptor) {
      MemorySegment symbol = lib.find(name).orElseThrow(() -> new IllegalStateException(
          "libchdb has no symbol " + name + ": the library is not the pinned version"));
      return linker.downcallHandle(symbol, descriptor);
    }
  }
}
