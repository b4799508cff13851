/** Stopping the server ends every open log tail with UNAVAILABLE and stops its polling. */
package com.kubetelemetry.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.kubetelemetry.api.v1.LogsServiceGrpc;
import com.kubetelemetry.api.v1.TailLogsRequest;
import com.kubetelemetry.server.StorageBackendFactory;
import com.kubetelemetry.server.TestServer;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogsTailShutdownTest {
  @RegisterExtension
  final TestServer server = TestServer.create(new StorageBackendFactory());

  @Test
  void serverStopEndsOpenTails() throws InterruptedException {
    LogsTailEndToEndTest.Tail tail = new LogsTailEndToEndTest.Tail();
    GrpcClients.newClient(server.uri(), LogsServiceGrpc.LogsServiceStub.class)
        .tailLogs(TailLogsRequest.getDefaultInstance(), tail);
    assertThat(tail.next().getRecordsCount()).isZero();
    LogsGrpcService logs = server.server().reads().logs();
    assertThat(logs.openTails()).isEqualTo(1);
    server.stop();
    Status end = tail.end();
    assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(end.getDescription()).contains("shutting down");
    logs.whenNoTailsOpen().join();
    assertThat(logs.openTails()).isZero();
    assertThat(logs.scheduledTailTasks()).isZero();
  }
}
