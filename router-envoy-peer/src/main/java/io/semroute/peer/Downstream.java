package io.semroute.peer;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The client's side of a {@link FilterWalk}: where the answer goes as Envoy releases it. */
public interface Downstream {
  /**
   * The status line and headers (lower-case names; {@code content-length} as Envoy holds it, which
   * a real server replaces with its own framing).
   *
   * @param length body bytes, or -1 when the body is streamed with no known length
   */
  void head(int status, Map<String, List<String>> headers, long length) throws IOException;

  /** One piece of the body, in order (possibly empty: the end of a STREAMED body). */
  void body(byte[] chunk) throws IOException;

  /** The answer is complete (called before the ext_proc stream is ended). */
  default void end() throws IOException {}
}
