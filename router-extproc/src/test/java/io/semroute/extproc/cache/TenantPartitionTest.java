package io.semroute.extproc.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The tenant key the semantic cache and the rate limiter share. */
class TenantPartitionTest {
  @Test
  void isTheFirstHalfOfTheSha256OfHeaderAndValue() throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest("x-user-id\u0000alice".getBytes(StandardCharsets.UTF_8));
    String expected = HexFormat.of().formatHex(digest).substring(0, 32);
    assertThat(TenantPartition.of("x-user-id", "alice")).isEqualTo(expected);
    assertThat(TenantPartition.of("x-user-id", "  alice\t")).isEqualTo(expected);
    // The same value under another header is another tenant.
    assertThat(TenantPartition.of("authorization", "alice")).isNotEqualTo(expected);
  }

  @Test
  void noValueNoTenant() {
    assertThat(TenantPartition.of("x-user-id", null)).isNull();
    assertThat(TenantPartition.of("x-user-id", " ")).isNull();
  }
}
