package io.semroute.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a benchmark figure depends on besides the code: the CPU, its core count, how busy the box
 * was, the Java runtime, and the process's resident memory. Linux {@code /proc} where available;
 * "unknown" elsewhere, never an error.
 */
public final class MachineInfo {

  private MachineInfo() {}

  /** The CPU's {@code model name} from /proc/cpuinfo. */
  public static String cpuModel() {
    for (String line : lines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown";
  }

  public static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** 1, 5 and 15 minute load averages, e.g. {@code "0.52 0.61 0.70"}. */
  public static String loadAverage() {
    List<String> lines = lines(Path.of("/proc/loadavg"));
    if (lines.isEmpty()) {
      return "unknown";
    }
    String[] parts = lines.get(0).trim().split("\\s+");
    return parts.length < 3 ? "unknown" : parts[0] + " " + parts[1] + " " + parts[2];
  }

  /** Total memory in GiB from /proc/meminfo, or NaN. */
  public static double memoryGiB() {
    long kib = procKiB(Path.of("/proc/meminfo"), "MemTotal:");
    return kib < 0 ? Double.NaN : kib / 1024.0 / 1024.0;
  }

  /** This process's resident set ({@code VmRSS}) in MiB, or NaN off Linux. */
  public static double rssMiB() {
    long kib = procKiB(Path.of("/proc/self/status"), "VmRSS:");
    return kib < 0 ? Double.NaN : kib / 1024.0;
  }

  /** This process's peak resident set ({@code VmHWM}) in MiB, or NaN off Linux. */
  public static double peakRssMiB() {
    long kib = procKiB(Path.of("/proc/self/status"), "VmHWM:");
    return kib < 0 ? Double.NaN : kib / 1024.0;
  }

  /** Java version and VM, e.g. {@code "17.0.12 (OpenJDK 64-Bit Server VM), amd64"}. */
  public static String java() {
    return System.getProperty("java.version")
        + " ("
        + System.getProperty("java.vm.name")
        + "), "
        + System.getProperty("os.arch");
  }

  /** The Markdown bullet lines describing the machine (no trailing blank line). */
  public static List<String> describe() {
    return List.of(
        String.format(
            Locale.ROOT,
            "- CPU: %s, %d cores visible to the JVM, %.1f GiB RAM",
            cpuModel(),
            cores(),
            memoryGiB()),
        "- load average (1/5/15 min) at start: " + loadAverage(),
        "- Java " + java());
  }

  private static long procKiB(Path file, String key) {
    for (String line : lines(file)) {
      if (line.startsWith(key)) {
        String digits = line.replaceAll("\\D+", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
      }
    }
    return -1;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
