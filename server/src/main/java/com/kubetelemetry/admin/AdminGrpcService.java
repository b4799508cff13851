/** telemetry.v1.AdminService over gRPC: answers questions about the running server itself. */
package com.kubetelemetry.admin;

import com.kubetelemetry.api.v1.AdminServiceGrpc;
import com.kubetelemetry.api.v1.GetServerInfoRequest;
import com.kubetelemetry.api.v1.GetServerInfoResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Thin translator from the RPC to {@link ServerInfo}. */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdminGrpcService.class);
  private final ServerInfo info;

  public AdminGrpcService(ServerInfo info) {
    this.info = info;
  }

  @Override
  public void getServerInfo(GetServerInfoRequest request, StreamObserver<GetServerInfoResponse> response) {
    GetServerInfoResponse answer;
    try {
      answer = info.describe();
    } catch (RuntimeException e) {
      LOG.warn("GetServerInfo failed", e);
      response.onError(Status.UNAVAILABLE.withDescription("server info is unavailable: storage did not answer")
          .asRuntimeException());
      return;
    }
    response.onNext(answer);
    response.onCompleted();
  }
}
