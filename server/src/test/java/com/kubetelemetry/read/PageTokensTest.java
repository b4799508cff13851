/** Page tokens round-trip their position and refuse tokens from other requests or damaged ones. */
package com.kubetelemetry.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kubetelemetry.api.v1.SearchLogsRequest;
import com.kubetelemetry.api.v1.SearchTracesRequest;
import com.kubetelemetry.query.QueryException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageTokensTest {
  private static final SearchTracesRequest REQUEST = SearchTracesRequest.newBuilder().setServiceName("checkout")
      .build();

  @Test
  void positionRoundTripsIncludingOddText() {
    List<String> position = List.of("1763900000000000000", "ab\"c\\d\n{x}", "");
    String token = PageTokens.encode(REQUEST, position);
    assertThat(token).matches("[A-Za-z0-9_-]+");
    assertThat(PageTokens.decode(token, REQUEST, "page.page_token")).isEqualTo(position);
    assertThat(PageTokens.decode("", REQUEST, "page.page_token")).isEmpty();
  }

  @Test
  void tokensOfOtherRequestsAreRefused() {
    String token = PageTokens.encode(REQUEST, List.of("1"));
    SearchTracesRequest other = REQUEST.toBuilder().setServiceName("payment").build();
    assertThatThrownBy(() -> PageTokens.decode(token, other, "page.page_token"))
        .isInstanceOfSatisfying(QueryException.class, e -> {
          assertThat(e.field()).isEqualTo("page.page_token");
          assertThat(e.getMessage()).contains("different request");
        });
    assertThatThrownBy(() -> PageTokens.decode(token, SearchLogsRequest.getDefaultInstance(), "t"))
        .isInstanceOf(QueryException.class);
  }

  @Test
  void damagedTokensAreRefused() {
    for (String bad : List.of("%%%", "bm90IGpzb24", "W10", "e30", "x".repeat(10_000))) {
      assertThatThrownBy(() -> PageTokens.decode(bad, REQUEST, "page.page_token"))
          .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind())
              .isEqualTo(QueryException.Kind.INVALID_ARGUMENT));
    }
  }
}
