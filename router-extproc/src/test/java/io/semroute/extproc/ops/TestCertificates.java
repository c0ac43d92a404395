package io.semroute.extproc.ops;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made by the tests themselves (BouncyCastle): a CA, and leaves it signs. */
final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  record Issued(X509Certificate cert, PrivateKey key) {
    /** Writes {@code name.crt} and {@code name.key} (PEM, PKCS#8) into {@code dir}, atomically. */
    Files2 write(Path dir, String name) throws IOException {
      Path crt = dir.resolve(name + ".crt");
      Path key = dir.resolve(name + ".key");
      try {
        atomicWrite(crt, pem("CERTIFICATE", cert.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IOException(e);
      }
      atomicWrite(key, pem("PRIVATE KEY", this.key.getEncoded()));
      return new Files2(crt, key);
    }
  }

  record Files2(Path cert, Path key) {}

  private TestCertificates() {}

  static Issued ca(String name) throws Exception {
    KeyPair kp = keys();
    X500Name subject = new X500Name("CN=" + name);
    JcaX509v3CertificateBuilder b = builder(subject, subject, kp);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Issued(sign(b, kp.getPrivate()), kp.getPrivate());
  }

  /** A leaf for {@code localhost} / 127.0.0.1 (server and client use), signed by {@code ca}. */
  static Issued leaf(Issued ca, String name) throws Exception {
    KeyPair kp = keys();
    JcaX509v3CertificateBuilder b =
        builder(
            new X500Name(ca.cert().getSubjectX500Principal().getName()),
            new X500Name("CN=" + name),
            kp);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }));
    return new Issued(sign(b, ca.key()), kp.getPrivate());
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair kp) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(1, ChronoUnit.HOURS)),
        Date.from(now.plus(1, ChronoUnit.DAYS)),
        subject,
        kp.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(signer)));
  }

  static byte[] pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  static void atomicWrite(Path target, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".tmp", ".pem");
    Files.write(tmp, bytes);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes a CA certificate alone (the client_ca_file). */
  static Path writeCa(Path dir, String name, Issued ca) throws Exception {
    Path p = dir.resolve(name + ".crt");
    atomicWrite(p, pem("CERTIFICATE", ca.cert().getEncoded()));
    return p;
  }
}
