package io.semroute.tools.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * The same figures {@code eval} prints, as one self-contained HTML page (no scripts, no external
 * styles), so a report can be attached to a model card or a pull request and read anywhere.
 * Confusion-matrix cells are shaded by their share of the gold row, which makes the usual mix-ups
 * (physics taken for chemistry, ...) visible at a glance.
 */
public final class HtmlReport {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  public HtmlReport(String title) {
    this.title = title;
  }

  /** A line of context: model, data file, row count. */
  public HtmlReport fact(String name, String value) {
    body.append("<p><b>").append(esc(name)).append(":</b> ").append(esc(value)).append("</p>\n");
    return this;
  }

  /** Summary, per-class table and confusion matrix. */
  public HtmlReport classification(ClassificationReport r) {
    List<String> labels = r.labels();
    long total = 0;
    for (String g : labels) {
      for (String p : labels) {
        total += r.count(g, p);
      }
    }
    body.append(
        String.format(
            Locale.ROOT,
            "<h2>Summary</h2>\n<table><tr><th>examples</th><th>accuracy</th><th>macro-F1</th></tr>"
                + "<tr><td>%d</td><td>%.4f</td><td>%.4f</td></tr></table>\n",
            total,
            r.accuracy(),
            r.macroF1()));
    body.append(
        "<h2>Per class</h2>\n<table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
    for (String l : labels) {
      prfRow(l, r.score(l));
    }
    body.append(
        "</table>\n<h2>Confusion matrix</h2>\n<p>Rows: gold label; columns: predicted.</p>\n<table class=cm><tr><th></th>");
    for (String l : labels) {
      body.append("<th class=v>").append(esc(l)).append("</th>");
    }
    body.append("</tr>\n");
    for (String g : labels) {
      long row = 0;
      for (String p : labels) {
        row += r.count(g, p);
      }
      body.append("<tr><th>").append(esc(g)).append("</th>");
      for (String p : labels) {
        long c = r.count(g, p);
        double share = row == 0 ? 0 : (double) c / row;
        // diagonal in green, mistakes in red; opacity = share of the gold row
        String rgb = g.equals(p) ? "46,160,67" : "214,39,40";
        body.append(
            String.format(
                Locale.ROOT,
                "<td style=\"background:rgba(%s,%.2f)\">%s</td>",
                rgb,
                c == 0 ? 0 : 0.1 + 0.8 * share,
                c == 0 ? "" : Long.toString(c)));
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** Entity-level precision / recall / F1 per type, micro-average last. */
  public HtmlReport entities(EntityReport r) {
    body.append(
        "<h2>Entities (exact boundaries)</h2>\n<table><tr><th>type</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
    for (String t : r.types()) {
      prfRow(t, r.score(t));
    }
    prfRow("micro, all types", r.micro(r.types()));
    body.append("</table>\n");
    return this;
  }

  public HtmlReport latency(LatencyStats l) {
    body.append(
        String.format(
            Locale.ROOT,
            "<h2>Latency per example</h2>\n<table><tr><th>n</th><th>mean ms</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr>"
                + "<tr><td>%d</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td></tr></table>\n",
            l.count(),
            l.meanMillis(),
            l.quantileMillis(0.5),
            l.quantileMillis(0.95),
            l.quantileMillis(0.99)));
    return this;
  }

  /** One line or point set of a plot: (x, y) pairs; {@code line} joins them, else markers only. */
  public record Series(String name, String color, boolean line, List<double[]> points) {}

  /**
   * An SVG scatter/line plot (no scripts): x is cost, y accuracy. {@code logX} plots x on a log
   * scale (costs of models differ by orders of magnitude).
   */
  public HtmlReport plot(String heading, List<Series> series, boolean logX) {
    double x0 = Double.POSITIVE_INFINITY,
        x1 = Double.NEGATIVE_INFINITY,
        y0 = Double.POSITIVE_INFINITY,
        y1 = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double[] p : s.points()) {
        double x = logX ? Math.log10(Math.max(p[0], 1e-12)) : p[0];
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, p[1]);
        y1 = Math.max(y1, p[1]);
      }
    }
    if (x1 <= x0) {
      x1 = x0 + 1;
    }
    if (y1 <= y0) {
      y1 = y0 + 0.01;
    }
    double padX = (x1 - x0) * 0.05, padY = (y1 - y0) * 0.05;
    x0 -= padX;
    x1 += padX;
    y0 -= padY;
    y1 += padY;
    int w = 720, h = 420, left = 60, bottom = 40, top = 10, right = 10;
    double fx0 = x0, fx1 = x1, fy0 = y0, fy1 = y1;
    DoubleUnaryOperator sx = x -> left + (x - fx0) / (fx1 - fx0) * (w - left - right);
    DoubleUnaryOperator sy = y -> top + (fy1 - y) / (fy1 - fy0) * (h - top - bottom);
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" style=\"border:1px solid #ccc\">",
            w,
            h));
    for (int k = 0; k <= 5; k++) {
      double y = y0 + (y1 - y0) * k / 5;
      double py = sy.applyAsDouble(y);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                  + "<text x=\"4\" y=\"%.1f\" font-size=\"11\">%.3f</text>",
              left,
              w - right,
              py,
              py,
              py + 4,
              y));
      double x = x0 + (x1 - x0) * k / 5;
      double px = sx.applyAsDouble(x);
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
              px,
              h - bottom + 16,
              logX
                  ? String.format(Locale.ROOT, "%.2g", Math.pow(10, x))
                  : String.format(Locale.ROOT, "%.3g", x)));
    }
    int legend = 0;
    for (Series s : series) {
      StringBuilder pts = new StringBuilder();
      for (double[] p : s.points()) {
        double px = sx.applyAsDouble(logX ? Math.log10(Math.max(p[0], 1e-12)) : p[0]);
        double py = sy.applyAsDouble(p[1]);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
        svg.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"/>",
                px,
                py,
                s.line() ? 2 : 5,
                s.color()));
      }
      if (s.line()) {
        svg.append("<polyline fill=\"none\" stroke=\"")
            .append(s.color())
            .append("\" stroke-width=\"2\" points=\"")
            .append(pts.toString().trim())
            .append("\"/>");
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
              w - 250,
              h - bottom - 14 * (series.size() - legend) - 4,
              s.color(),
              w - 235,
              h - bottom - 14 * (series.size() - legend) + 5,
              esc(s.name())));
      legend++;
    }
    svg.append("</svg>");
    body.append("<h2>").append(esc(heading)).append("</h2>\n").append(svg).append("\n");
    return this;
  }

  /**
   * Markdown-style text: lines starting with {@code |} become table rows (separator rows dropped,
   * {@code **bold**} kept as bold), other non-blank lines paragraphs.
   */
  public HtmlReport markdownTable(String text) {
    boolean inTable = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("|")) {
        if (line.matches("\\|[-| ]+\\|")) {
          continue;
        }
        if (!inTable) {
          body.append("<table>");
          inTable = true;
        }
        body.append("<tr>");
        String[] cells =
            line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0)).split("\\|");
        for (String c : cells) {
          body.append("<td>").append(bold(esc(c.trim()))).append("</td>");
        }
        body.append("</tr>\n");
      } else {
        if (inTable) {
          body.append("</table>\n");
          inTable = false;
        }
        if (!line.isBlank()) {
          body.append("<p>").append(bold(esc(line))).append("</p>\n");
        }
      }
    }
    if (inTable) {
      body.append("</table>\n");
    }
    return this;
  }

  private static String bold(String s) {
    return s.replaceAll("\\*\\*(.+?)\\*\\*", "<b>$1</b>");
  }

  public String render() {
    return "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>"
        + esc(title)
        + "</title>\n"
        + "<style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0}"
        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}"
        + "table.cm th.v{writing-mode:vertical-rl;transform:rotate(180deg)}</style></head><body>\n"
        + "<h1>"
        + esc(title)
        + "</h1>\n"
        + body
        + "<p><small>generated "
        + Instant.now()
        + "</small></p>\n</body></html>\n";
  }

  public void write(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, render(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write HTML report " + file, e);
    }
  }

  private void prfRow(String name, PrfScore s) {
    body.append(
        String.format(
            Locale.ROOT,
            "<tr><th>%s</th><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%d</td></tr>\n",
            esc(name),
            s.precision(),
            s.recall(),
            s.f1(),
            s.support()));
  }

  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
