package io.semroute.extproc.server;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.semroute.config.OperationsSettings;
import java.io.Closeable;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * TLS for the ext_proc listener from {@code listeners.grpc_tls}: the server certificate and key,
 * and with {@code client_ca_file} a required client certificate chaining to that CA (mTLS). The
 * files are read again every {@link #DEFAULT_RELOAD} (a Kubernetes Secret rotation replaces them);
 * new connections get the new files, open ones keep their session.
 */
final class GrpcTls implements AutoCloseable {
  static final Duration DEFAULT_RELOAD = Duration.ofSeconds(10);

  private final ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "grpc-tls-reload");
    t.setDaemon(true);
    return t;
  });
  private final List<Closeable> watches = new ArrayList<>();
  private final ServerCredentials credentials;

  GrpcTls(OperationsSettings.GrpcTls files, Duration reload) throws IOException {
    try {
      AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
      long period = Math.max(1, reload.toMillis());
      watches.add(keys.updateIdentityCredentials(files.certFile().toFile(), files.keyFile().toFile(),
          period, TimeUnit.MILLISECONDS, reloader)::close);
      TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().keyManager(keys);
      if (files.clientCaFile() != null) {
        AdvancedTlsX509TrustManager trust = AdvancedTlsX509TrustManager.newBuilder()
            .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
            .build();
        watches.add(trust.updateTrustCredentials(files.clientCaFile().toFile(), period,
            TimeUnit.MILLISECONDS, reloader)::close);
        b.trustManager(trust).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      this.credentials = b.build();
    } catch (GeneralSecurityException e) {
      close();
      throw new IOException("listeners.grpc_tls: cannot use the certificate files: " + e.getMessage(), e);
    }
  }

  ServerCredentials credentials() {
    return credentials;
  }

  @Override
  public void close() {
    for (Closeable c : watches) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing to release
      }
    }
    reloader.shutdownNow();
  }
}
