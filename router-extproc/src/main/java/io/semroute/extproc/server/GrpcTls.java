package io.semroute.extproc.server;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import io.semroute.config.OperationsSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS for the ext_proc listener from {@code listeners.grpc_tls}: the server certificate and key,
 * and with {@code client_ca_file} a required client certificate chaining to that CA (mTLS).
 *
 * <p>The files are read again every {@link #DEFAULT_RELOAD} and swapped in when their bytes changed
 * (a Kubernetes Secret rotation replaces them through a symlink swap, so modification times are not
 * trusted). New connections get the new files; open ones keep their session. A half-written or
 * broken set is refused with a WARN and the previous one stays.
 */
final class GrpcTls implements AutoCloseable {
  static final Duration DEFAULT_RELOAD = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(GrpcTls.class);

  private final OperationsSettings.GrpcTls files;
  private final AdvancedTlsX509KeyManager keys = new AdvancedTlsX509KeyManager();
  private final AdvancedTlsX509TrustManager trust;
  private final ScheduledExecutorService reloader =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "grpc-tls-reload");
            t.setDaemon(true);
            return t;
          });
  private final SslContext sslContext;
  private byte[] digest;

  GrpcTls(OperationsSettings.GrpcTls files, Duration reload) throws IOException {
    this.files = files;
    try {
      this.trust =
          files.clientCaFile() == null
              ? null
              : AdvancedTlsX509TrustManager.newBuilder()
                  .setVerification(
                      AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                  .build();
      load(); // fails start-up on a bad set
      // The JDK provider asks the key and trust managers on every handshake; the OpenSSL one
      // caches key material and the accepted-issuer list, which would hide a rotation.
      SslContextBuilder b =
          GrpcSslContexts.configure(SslContextBuilder.forServer(keys), SslProvider.JDK);
      if (trust != null) {
        b.trustManager(trust).clientAuth(ClientAuth.REQUIRE);
      }
      this.sslContext = b.build();
    } catch (GeneralSecurityException | RuntimeException e) {
      close();
      throw new IOException(
          "listeners.grpc_tls: cannot use the certificate files: " + e.getMessage(), e);
    }
    long period = Math.max(1, reload.toMillis());
    reloader.scheduleWithFixedDelay(this::reloadIfChanged, period, period, TimeUnit.MILLISECONDS);
  }

  /** Reads the three files; swaps them in when they changed. @return whether they changed */
  private synchronized boolean load() throws IOException, GeneralSecurityException {
    byte[] cert = Files.readAllBytes(files.certFile());
    byte[] key = Files.readAllBytes(files.keyFile());
    byte[] ca =
        files.clientCaFile() == null ? new byte[0] : Files.readAllBytes(files.clientCaFile());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(cert);
    sha.update((byte) 0);
    sha.update(key);
    sha.update((byte) 0);
    sha.update(ca);
    byte[] d = sha.digest();
    if (Arrays.equals(d, digest)) {
      return false;
    }
    X509Certificate[] chain = CertificateUtils.getX509Certificates(new ByteArrayInputStream(cert));
    PrivateKey privateKey = CertificateUtils.getPrivateKey(new ByteArrayInputStream(key));
    if (chain.length == 0) {
      throw new GeneralSecurityException(files.certFile() + " holds no certificate");
    }
    if (!chain[0].getPublicKey().equals(publicKeyOf(privateKey, chain[0]))) {
      throw new GeneralSecurityException(files.keyFile() + " does not match " + files.certFile());
    }
    X509Certificate[] cas = null;
    if (trust != null) {
      cas = CertificateUtils.getX509Certificates(new ByteArrayInputStream(ca));
      if (cas.length == 0) {
        throw new GeneralSecurityException(files.clientCaFile() + " holds no certificate");
      }
    }
    keys.updateIdentityCredentials(chain, privateKey);
    if (trust != null) {
      trust.updateTrustCredentials(cas);
    }
    digest = d;
    return true;
  }

  /** The certificate's key when the private key signs for it, else null (checked by signing). */
  private static PublicKey publicKeyOf(PrivateKey key, X509Certificate cert)
      throws GeneralSecurityException {
    String alg =
        cert.getPublicKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    Signature s = Signature.getInstance(alg);
    s.initSign(key);
    byte[] probe = "semroute-tls-probe".getBytes(StandardCharsets.US_ASCII);
    s.update(probe);
    byte[] sig = s.sign();
    Signature v = Signature.getInstance(alg);
    v.initVerify(cert.getPublicKey());
    v.update(probe);
    return v.verify(sig) ? cert.getPublicKey() : null;
  }

  private void reloadIfChanged() {
    try {
      if (load()) {
        log.info(
            "gRPC TLS files reloaded: {}, {}{}",
            files.certFile(),
            files.keyFile(),
            files.clientCaFile() == null ? "" : ", " + files.clientCaFile());
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // Mid-rotation (key written, certificate not yet) or broken: keep the working set.
      log.warn("gRPC TLS files not reloaded, keeping the previous ones: {}", e.toString());
    }
  }

  SslContext sslContext() {
    return sslContext;
  }

  @Override
  public void close() {
    reloader.shutdownNow();
  }
}
