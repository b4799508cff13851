/** Saves the JVM's handlers for the signals libchdb takes over on connect, and puts them back afterwards. */
package com.kubetelemetry.storage.chdb;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The JVM relies on its own SIGSEGV/SIGBUS/SIGILL/SIGFPE handlers for implicit null checks, stack banging and
 * safepoints; once libchdb installs its crash handlers, the JVM dies on its first StackOverflowError. We snapshot
 * the JVM's {@code sigaction} for each signal before a connect and reinstall it after (CHDB.md, hazard 1).
 */
final class JvmSignalHandlers {
  /** SIGILL, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS on Linux x86_64. */
  static final int[] SIGNALS = {4, 6, 7, 8, 11, 31};
  /** glibc's struct sigaction is 152 bytes on x86_64; room to spare costs nothing. */
  private static final long SIGACTION_SIZE = 256;

  private final MethodHandle sigaction;

  JvmSignalHandlers() {
    Linker linker = Linker.nativeLinker();
    MemorySegment symbol = linker.defaultLookup().find("sigaction")
        .orElseThrow(() -> new IllegalStateException("libc has no sigaction"));
    sigaction = linker.downcallHandle(symbol, FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  }

  /** The current handlers, to be restored with {@link Snapshot#restore()}. */
  Snapshot snapshot(Arena arena) {
    MemorySegment[] saved = new MemorySegment[SIGNALS.length];
    for (int i = 0; i < SIGNALS.length; i++) {
      saved[i] = arena.allocate(SIGACTION_SIZE, 16);
      call(SIGNALS[i], MemorySegment.NULL, saved[i]);
    }
    return new Snapshot(saved);
  }

  /** The handler address currently installed for {@code signal} (for tests and diagnostics). */
  long handlerAddress(int signal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment current = arena.allocate(SIGACTION_SIZE, 16);
      call(signal, MemorySegment.NULL, current);
      return current.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
    }
  }

  private void call(int signal, MemorySegment newAction, MemorySegment oldAction) {
    int rc;
    try {
      rc = (int) sigaction.invokeExact(signal, newAction, oldAction);
    } catch (Throwable t) {
      throw new IllegalStateException("sigaction(" + signal + ") failed", t);
    }
    if (rc != 0) {
      throw new IllegalStateException("sigaction(" + signal + ") returned " + rc);
    }
  }

  /** Handlers saved at one moment. */
  final class Snapshot {
    private final MemorySegment[] saved;

    private Snapshot(MemorySegment[] saved) {
      this.saved = saved;
    }

    void restore() {
      for (int i = 0; i < SIGNALS.length; i++) {
        call(SIGNALS[i], saved[i], MemorySegment.NULL);
      }
    }
  }
}
