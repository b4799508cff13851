/** Opaque paging cursors: where the next page starts, bound to the request that produced them. */
package com.kubetelemetry.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import com.kubetelemetry.query.QueryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A token is base64url of a JSON array: a fingerprint of the request (its deterministic protobuf encoding with the
 * page token cleared, hashed) followed by the position values (e.g. the last row's timestamp and id). Decoding
 * with another request, or a damaged token, is INVALID_ARGUMENT. Tokens are not secret: the position values are
 * re-bound as parameters and the tenant comes from the caller, so a forged token can only page the caller's data.
 */
public final class PageTokens {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_TOKEN_LENGTH = 4096;

  private PageTokens() {}

  /** The token for the page after {@code position} of {@code requestWithoutToken}. */
  public static String encode(Message requestWithoutToken, List<String> position) {
    ArrayNode array = JSON.createArrayNode();
    array.add(fingerprint(requestWithoutToken));
    position.forEach(array::add);
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(array));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The position in {@code token}; empty for an empty token. {@code field} names the token in errors. */
  public static List<String> decode(String token, Message requestWithoutToken, String field) {
    if (token.isEmpty()) {
      return List.of();
    }
    JsonNode array;
    try {
      if (token.length() > MAX_TOKEN_LENGTH) {
        throw new IllegalArgumentException("too long");
      }
      array = JSON.readTree(Base64.getUrlDecoder().decode(token));
    } catch (IOException | IllegalArgumentException e) {
      throw invalid(field, "`" + field + "` is not a token this server issued: pass `next_page_token` from the "
          + "previous response unchanged, or leave it empty for the first page");
    }
    if (array == null || !array.isArray() || array.isEmpty()
        || !array.get(0).asText().equals(fingerprint(requestWithoutToken))) {
      throw invalid(field, "`" + field + "` belongs to a different request: keep the other request fields as "
          + "they were for the first page, or leave the token empty to start over");
    }
    List<String> position = new ArrayList<>(array.size() - 1);
    for (int i = 1; i < array.size(); i++) {
      position.add(array.get(i).asText());
    }
    return position;
  }

  private static String fingerprint(Message request) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      request.writeTo(out);
      out.flush();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(request.getDescriptorForType().getFullName().getBytes(StandardCharsets.UTF_8));
      byte[] digest = sha.digest(bytes.toByteArray());
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  private static QueryException invalid(String field, String message) {
    return new QueryException(QueryException.Kind.INVALID_ARGUMENT, field, message);
  }
}
