/** A server stream as a test's client sees it: every message, then the status it ended with, in arrival order. */
package com.kubetelemetry.server;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Pass it as the response observer of a streaming call; {@link #events} then holds the messages and finally a
 * {@link Status} (OK when the server completed), and {@link #call} cancels from the client side.
 */
public class RecordedStream<Q, R> implements ClientResponseObserver<Q, R> {
  public final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  public volatile ClientCallStreamObserver<Q> call;

  @Override
  public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
    call = requestStream;
  }

  @Override
  public void onNext(R value) {
    events.add(value);
  }

  @Override
  public void onError(Throwable t) {
    events.add(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    events.add(Status.OK);
  }

  /** The next message; fails when the stream ended instead. */
  @SuppressWarnings("unchecked")
  public R next() throws InterruptedException {
    Object e = events.take();
    if (e instanceof Status) {
      throw new AssertionError("stream ended: " + e);
    }
    return (R) e;
  }

  /** The status the stream ended with (messages before it are skipped). */
  public Status end() throws InterruptedException {
    while (true) {
      if (events.take() instanceof Status s) {
        return s;
      }
    }
  }
}
