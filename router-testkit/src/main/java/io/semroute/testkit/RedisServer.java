package io.semroute.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}) on a free local port, started
 * by the test and stopped after it: no persistence, no config file. When the binary is not on the
 * PATH the calling test is skipped, saying so ({@code .ci/run} installs it).
 */
public final class RedisServer implements AutoCloseable {
  private final Process process;
  private final int port;

  private RedisServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  private static final String MISSING =
      "redis-server is not installed (Debian: apt-get install -y"
          + " redis-server; .ci/run installs it): Redis backend test skipped; the memory backend tests"
          + " cover the same behaviour";

  /** The binary on the PATH, or null. */
  private static String binary() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /**
   * Starts a server, or returns null when the binary is missing (call from {@code @BeforeAll}, then
   * {@link #assumeRunning} in {@code @BeforeEach} so every test is reported skipped with the
   * reason).
   */
  public static RedisServer startIfInstalled() throws IOException, InterruptedException {
    if (binary() == null) {
      System.err.println(MISSING);
      return null;
    }
    return start();
  }

  /** Skips the calling test, saying why, when no server could be started for lack of the binary. */
  public static void assumeRunning(RedisServer server) {
    Assumptions.assumeTrue(server != null, MISSING);
  }

  /** Starts a server or skips the test when the binary is missing. */
  public static RedisServer start() throws IOException, InterruptedException {
    String binary = binary();
    Assumptions.assumeTrue(binary != null, MISSING);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--protected-mode",
                "yes",
                "--dir",
                Files.createTempDirectory("redis-test").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    RedisServer server = new RedisServer(p, port);
    for (int i = 0; i < 200; i++) {
      if (server.ping()) {
        return server;
      }
      if (!p.isAlive()) {
        throw new IOException("redis-server exited with " + p.exitValue() + " on port " + port);
      }
      Thread.sleep(25);
    }
    server.close();
    throw new IOException("redis-server did not answer PING on port " + port);
  }

  public int port() {
    return port;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** One raw RESP PING (no client library involved). */
  private boolean ping() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[16];
      int n = in.read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
