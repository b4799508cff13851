/** Runs the body of a unary read RPC and answers with its result or with the mapped error status. */
package com.kubetelemetry.read;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** One way for every read service to finish a call, so errors are reported the same everywhere. */
public final class ReadCalls {
  private final ReadContext context;

  public ReadCalls(ReadContext context) {
    this.context = context;
  }

  /**
   * Runs {@code work}; sends its answer and completes, or fails the call with {@link ReadErrors#status}. The call
   * counts as read activity until its answer is handed to the transport.
   */
  public <T> void unary(StreamObserver<T> response, String rpc, Supplier<T> work) {
    context.activity().begin();
    try {
      T answer;
      try {
        answer = work.get();
      } catch (RuntimeException e) {
        response.onError(ReadErrors.status(rpc, e, context.limits()));
        return;
      }
      response.onNext(answer);
      response.onCompleted();
    } finally {
      context.activity().end();
    }
  }
}
