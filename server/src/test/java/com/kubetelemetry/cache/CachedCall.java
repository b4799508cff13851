/** Calls one read API as one tenant, with or without {@code cache-control: no-cache}, and keeps the x-cache header. */
package com.kubetelemetry.cache;

import com.kubetelemetry.auth.TenantResolver;
import com.linecorp.armeria.client.ClientRequestContextCaptor;
import com.linecorp.armeria.client.Clients;
import com.linecorp.armeria.client.grpc.GrpcClients;
import java.util.function.Function;

/** {@code answer} is the response; {@code cache} the x-cache header it came with. */
record CachedCall<T>(T answer, String cache) {

  /** Calls {@code call} on a {@code stubType} stub of {@code uri} for {@code tenant}. */
  static <S, T> CachedCall<T> call(String uri, Class<S> stubType, String tenant, boolean noCache,
      Function<S, T> call) {
    var builder = GrpcClients.builder(uri).addHeader(TenantResolver.TENANT_HEADER, tenant);
    if (noCache) {
      builder.addHeader(CacheHeaders.CACHE_CONTROL, "no-cache");
    }
    S stub = builder.build(stubType);
    try (ClientRequestContextCaptor captor = Clients.newContextCaptor()) {
      T answer = call.apply(stub);
      String header = captor.get().log().whenComplete().join().responseHeaders().get(CacheSource.HEADER);
      return new CachedCall<>(answer, header);
    }
  }
}
