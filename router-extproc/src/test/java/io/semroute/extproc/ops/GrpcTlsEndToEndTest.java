package io.semroute.extproc.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.service.ext_proc.v3.ProcessingResponse;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.semroute.extproc.server.RouterServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code listeners.grpc_tls} with {@code client_ca_file}: only clients presenting a certificate
 * from that CA get through (mTLS); rotated files are picked up without a restart.
 */
class GrpcTlsEndToEndTest {
  @TempDir Path dir;

  @Test
  void onlyClientsWithACertificateFromTheConfiguredCaGetThroughAndRotationIsPickedUp()
      throws Exception {
    TestCertificates.Issued ca = TestCertificates.ca("router-test-ca");
    TestCertificates.Files2 server = TestCertificates.leaf(ca, "router").write(dir, "server");
    TestCertificates.Files2 client = TestCertificates.leaf(ca, "envoy").write(dir, "client");
    Path caFile = TestCertificates.writeCa(dir, "ca", ca);
    TestCertificates.Issued rogueCa = TestCertificates.ca("someone-else");
    TestCertificates.Files2 rogue = TestCertificates.leaf(rogueCa, "intruder").write(dir, "rogue");

    Path config = dir.resolve("config.yaml");
    Files.writeString(
        config,
        OpsFixtures.keywordConfig(
            "grpc_tls: {cert_file: server.crt, key_file: server.key, client_ca_file: ca.crt}", ""));
    try (RouterServer router =
        RouterServer.start(
            config,
            r -> {},
            new RouterServer.Options(
                RouterServer.DEFAULT_DRAIN_DEADLINE,
                Duration.ofMillis(200),
                System::getenv,
                () -> {}))) {
      int port = router.grpcPort();

      // The right client certificate: health and a routed ext_proc exchange work.
      assertThat(check(port, tls(caFile, client))).isEqualTo(ServingStatus.SERVING);
      ManagedChannel ok = channel(port, tls(caFile, client));
      try {
        RawExtProcStream s = new RawExtProcStream(ok);
        s.send(RawExtProcStream.requestHeaders("POST", "/v1/chat/completions"));
        ProcessingResponse r =
            s.send(
                RawExtProcStream.requestBody(
                    "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"an integral\"}]}"));
        assertThat(RawExtProcStream.setHeader(r, "x-selected-model")).isEqualTo("qwen3-8b");
      } finally {
        ok.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }

      // Refused: no client certificate, a certificate from another CA, plaintext.
      assertThatThrownBy(
              () ->
                  check(
                      port,
                      TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build()))
          .as("no client certificate")
          .isInstanceOf(StatusRuntimeException.class);
      assertThatThrownBy(() -> check(port, tls(caFile, rogue)))
          .as("certificate from another CA")
          .isInstanceOf(StatusRuntimeException.class);
      assertThatThrownBy(() -> check(port, InsecureChannelCredentials.create()))
          .as("plaintext")
          .isInstanceOf(StatusRuntimeException.class);

      // Rotation (a Secret update): a new CA signs new server and client certificates.
      TestCertificates.Issued ca2 = TestCertificates.ca("router-test-ca-2");
      TestCertificates.Files2 client2 = TestCertificates.leaf(ca2, "envoy-2").write(dir, "client2");
      TestCertificates.leaf(ca2, "router-2").write(dir, "server");
      TestCertificates.writeCa(dir, "ca", ca2);
      Path ca2File = TestCertificates.writeCa(dir, "ca2-copy", ca2);
      ServingStatus rotated = null;
      for (int i = 0; i < 150 && rotated == null; i++) {
        try {
          rotated = check(port, tls(ca2File, client2));
        } catch (StatusRuntimeException notYet) {
          Thread.sleep(100);
        }
      }
      assertThat(rotated).as("the rotated files are served").isEqualTo(ServingStatus.SERVING);
      assertThatThrownBy(() -> check(port, tls(caFile, client)))
          .as("the old client certificate no longer passes")
          .isInstanceOf(StatusRuntimeException.class);
    }
  }

  private static ChannelCredentials tls(Path trust, TestCertificates.Files2 identity)
      throws Exception {
    return TlsChannelCredentials.newBuilder()
        .trustManager(trust.toFile())
        .keyManager(identity.cert().toFile(), identity.key().toFile())
        .build();
  }

  private static ManagedChannel channel(int port, ChannelCredentials creds) {
    return Grpc.newChannelBuilderForAddress("localhost", port, creds).build();
  }

  private static ServingStatus check(int port, ChannelCredentials creds)
      throws InterruptedException {
    ManagedChannel ch = channel(port, creds);
    try {
      return HealthGrpc.newBlockingStub(ch)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(
              HealthCheckRequest.newBuilder()
                  .setService("envoy.service.ext_proc.v3.ExternalProcessor")
                  .build())
          .getStatus();
    } finally {
      ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
