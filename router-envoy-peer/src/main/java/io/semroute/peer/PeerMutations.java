package io.semroute.peer;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.HeaderMap;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.ext_proc.v3.BodyMutation;
import io.envoyproxy.envoy.service.ext_proc.v3.HeaderMutation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What Envoy's ext_proc filter does with the header and body mutations a processor sends ({@code
 * mutation_utils.cc}): the peer's side of the router's mutations, applied by {@link FilterWalk}.
 *
 * <ul>
 *   <li>Each set header overwrites unless its {@code append} flag is true ({@code append_action} is
 *       ignored).
 *   <li>{@code host}, {@code :authority}, {@code :scheme}, {@code :method} and {@code x-envoy-*}
 *       cannot be set (silently ignored, as Envoy counts them in {@code
 *       rejected_header_mutations}); pseudo-headers, {@code host} and {@code x-envoy-*} cannot be
 *       removed.
 *   <li>A header setting both {@code value} and {@code raw_value} is refused.
 * </ul>
 */
public final class PeerMutations {
  /** Headers a processor may not set. */
  public static final Set<String> IMMUTABLE_HEADERS =
      Set.of("host", ":authority", ":scheme", ":method");

  /** A mutation Envoy refuses (the request then fails with {@code status_on_error}). */
  public static final class RefusedMutation extends RuntimeException {
    public RefusedMutation(String message) {
      super(message);
    }
  }

  private PeerMutations() {}

  /**
   * Applies {@code mutation} to {@code headers} (lower-case names, values in order), as Envoy does.
   *
   * @throws RefusedMutation for a header that sets both {@code value} and {@code raw_value}
   */
  @SuppressWarnings("deprecation") // ext_proc reads only `append`, not `append_action`
  public static void applyHeaders(HeaderMutation mutation, Map<String, List<String>> headers) {
    for (String removed : mutation.getRemoveHeadersList()) {
      String name = removed.toLowerCase(Locale.ROOT);
      boolean protectedName =
          name.startsWith(":") || name.equals("host") || name.startsWith("x-envoy-");
      if (!protectedName) {
        headers.remove(name);
      }
    }
    for (HeaderValueOption option : mutation.getSetHeadersList()) {
      HeaderValue header = option.getHeader();
      if (!header.getValue().isEmpty() && !header.getRawValue().isEmpty()) {
        throw new RefusedMutation("header " + header.getKey() + " sets both value and raw_value");
      }
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (IMMUTABLE_HEADERS.contains(name) || name.startsWith("x-envoy-")) {
        continue;
      }
      String value =
          header.getRawValue().isEmpty()
              ? header.getValue()
              : header.getRawValue().toString(StandardCharsets.UTF_8);
      if (option.hasAppend() && option.getAppend().getValue()) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } else {
        List<String> only = new ArrayList<>();
        only.add(value);
        headers.put(name, only);
      }
    }
  }

  /** Headers as Envoy sends them to the processor: one entry per value, in {@code raw_value}. */
  public static HeaderMap headerMap(Map<String, List<String>> headers) {
    HeaderMap.Builder map = HeaderMap.newBuilder();
    headers.forEach(
        (name, values) ->
            values.forEach(
                v ->
                    map.addHeaders(
                        HeaderValue.newBuilder()
                            .setKey(name)
                            .setRawValue(ByteString.copyFrom(v, StandardCharsets.UTF_8)))));
    return map.build();
  }

  /**
   * The body after a {@link BodyMutation} outside FULL_DUPLEX_STREAMED: replaced, cleared, or
   * unchanged (the same array).
   *
   * @throws RefusedMutation for {@code streamed_response}, valid only in FULL_DUPLEX_STREAMED
   */
  public static byte[] applyBody(byte[] body, BodyMutation mutation) {
    return switch (mutation.getMutationCase()) {
      case BODY -> mutation.getBody().toByteArray();
      case CLEAR_BODY -> mutation.getClearBody() ? new byte[0] : body;
      case STREAMED_RESPONSE ->
          throw new RefusedMutation("streamed_response is only valid in FULL_DUPLEX_STREAMED");
      case MUTATION_NOT_SET -> body;
    };
  }
}
