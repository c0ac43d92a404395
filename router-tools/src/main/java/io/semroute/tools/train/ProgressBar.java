package io.semroute.tools.train;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line console progress bar with rate and ETA, redrawn at most a few times a second. */
public final class ProgressBar {
  private final String label;
  private final long total;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private long done;

  public ProgressBar(String label, long total, PrintStream out) {
    this.label = label;
    this.total = Math.max(1, total);
    this.out = out;
  }

  public void step(long n, String suffix) {
    done += n;
    long now = System.nanoTime();
    if (done >= total || now - lastDraw > 250_000_000L) {
      lastDraw = now;
      draw(suffix);
    }
  }

  private void draw(String suffix) {
    double secs = (System.nanoTime() - startNanos) / 1e9;
    double frac = Math.min(1.0, (double) done / total);
    int width = 30;
    int filled = (int) Math.round(frac * width);
    double rate = done / Math.max(secs, 1e-9);
    double eta = rate > 0 ? (total - done) / rate : 0;
    out.printf(
        Locale.ROOT,
        "\r%-22s [%s%s] %5.1f%% %d/%d %.1f/s eta %ds %s",
        label,
        "=".repeat(filled),
        " ".repeat(width - filled),
        frac * 100,
        done,
        total,
        rate,
        (long) eta,
        suffix == null ? "" : suffix);
    if (done >= total) {
      out.println();
    }
    out.flush();
  }
}
