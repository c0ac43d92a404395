package io.semroute.tools.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The same figures {@code eval} prints, as one self-contained HTML page (no scripts, no external
 * styles), so a report can be attached to a model card or a pull request and read anywhere.
 * Confusion-matrix cells are shaded by their share of the gold row, which makes the usual
 * mix-ups (physics taken for chemistry, ...) visible at a glance.
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
    body.append(String.format(Locale.ROOT,
        "<h2>Summary</h2>\n<table><tr><th>examples</th><th>accuracy</th><th>macro-F1</th></tr>"
            + "<tr><td>%d</td><td>%.4f</td><td>%.4f</td></tr></table>\n",
        total, r.accuracy(), r.macroF1()));
    body.append("<h2>Per class</h2>\n<table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
    for (String l : labels) {
      prfRow(l, r.score(l));
    }
    body.append("</table>\n<h2>Confusion matrix</h2>\n<p>Rows: gold label; columns: predicted.</p>\n<table class=cm><tr><th></th>");
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
        body.append(String.format(Locale.ROOT, "<td style=\"background:rgba(%s,%.2f)\">%s</td>",
            rgb, c == 0 ? 0 : 0.1 + 0.8 * share, c == 0 ? "" : Long.toString(c)));
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** Entity-level precision / recall / F1 per type, micro-average last. */
  public HtmlReport entities(EntityReport r) {
    body.append("<h2>Entities (exact boundaries)</h2>\n<table><tr><th>type</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n");
    for (String t : r.types()) {
      prfRow(t, r.score(t));
    }
    prfRow("micro, all types", r.micro(r.types()));
    body.append("</table>\n");
    return this;
  }

  public HtmlReport latency(LatencyStats l) {
    body.append(String.format(Locale.ROOT,
        "<h2>Latency per example</h2>\n<table><tr><th>n</th><th>mean ms</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr>"
            + "<tr><td>%d</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td></tr></table>\n",
        l.count(), l.meanMillis(), l.quantileMillis(0.5), l.quantileMillis(0.95), l.quantileMillis(0.99)));
    return this;
  }

  public String render() {
    return "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8><title>" + esc(title) + "</title>\n"
        + "<style>body{font:14px sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0}"
        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}"
        + "table.cm th.v{writing-mode:vertical-rl;transform:rotate(180deg)}</style></head><body>\n"
        + "<h1>" + esc(title) + "</h1>\n" + body
        + "<p><small>generated " + Instant.now() + "</small></p>\n</body></html>\n";
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
    body.append(String.format(Locale.ROOT, "<tr><th>%s</th><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%d</td></tr>\n",
        esc(name), s.precision(), s.recall(), s.f1(), s.support()));
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
