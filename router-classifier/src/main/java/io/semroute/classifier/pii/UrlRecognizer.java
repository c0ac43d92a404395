package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URLs and bare domain names, both reported as {@code DOMAIN_NAME} (the Presidio label used by the
 * training data, where whole URLs such as "https://www.x.se/" carry that label).
 *
 * <p>Bare names ("example.com") are the risky case: "Main.java", "setup.py" and "README.md" have
 * the same shape. So a bare name needs "www.", or a generic TLD, or a country TLD under a
 * second-level label ("shop.co.uk"); file extensions that are also country codes are refused.
 */
public final class UrlRecognizer implements PiiRecognizer {
  public static final String TYPE = "DOMAIN_NAME";

  private static final Pattern WITH_SCHEME =
      Pattern.compile("(?i)(?<![\\w])(?:https?|ftp)://[^\\s<>\"'`]+");
  private static final Pattern BARE =
      Pattern.compile(
          "(?<![\\w@.\\-/])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+)([A-Za-z]{2,24})"
              + "(/[^\\s<>\"'`]*)?(?![\\w@-]|\\.\\w)");

  private static final Set<String> GENERIC_TLDS =
      Set.of(
          "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "io", "ai", "app", "dev",
          "co", "tv", "xyz", "online", "site", "tech", "store", "shop", "blog", "cloud", "eu", "uk",
          "de", "fr", "nl", "se", "ch", "es", "ca", "au", "jp", "cn", "ru", "br", "cz", "dk", "fi",
          "pt", "gr", "ie", "nz", "za", "mx", "ar", "uy", "cy", "hu", "ro");
  // Left out of GENERIC_TLDS on purpose: "it", "in", "at", "no", "me", "be", "us", "to"... are
  // English words, so "done.It" (a missing space) must not become a domain.
  // Country codes that double as common file extensions: accepted only with www./scheme or
  // under a second-level label.
  private static final Set<String> FILE_LIKE =
      Set.of(
          "py", "md", "rs", "sh", "pl", "js", "ts", "cs", "so", "ps", "pm", "mk", "am", "ml", "sc",
          "sv", "st", "cc", "gz", "xz", "jar", "txt", "java", "yaml", "yml", "json", "html", "css",
          "png", "jpg", "log", "csv", "xml", "zip", "exe", "dll", "bat", "cfg", "ini", "toml",
          "lock");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<PiiEntity> find(String text) {
    List<PiiEntity> out = new ArrayList<>();
    Matcher m = WITH_SCHEME.matcher(text);
    while (m.find()) {
      int end = trimTrailing(text, m.start(), m.end());
      if (end - m.start() > "http://x".length()) {
        out.add(PiiEntity.of(text, TYPE, m.start(), end, 0.9, PiiEntity.Origin.PATTERN));
      }
    }
    Matcher b = BARE.matcher(text);
    while (b.find()) {
      if (insideAny(out, b.start())) {
        continue;
      }
      String labels = b.group(1);
      String rawTld = b.group(2);
      String tld = rawTld.toLowerCase(Locale.ROOT);
      if (!rawTld.equals(tld) && !rawTld.equals(rawTld.toUpperCase(Locale.ROOT))) {
        continue; // "end.The" is a typo, not a TLD
      }
      boolean www = labels.toLowerCase(Locale.ROOT).startsWith("www.");
      int dots = labels.length() - labels.replace(".", "").length();
      boolean ok =
          www
              || (GENERIC_TLDS.contains(tld) && !FILE_LIKE.contains(tld))
              || (tld.length() == 2 && dots >= 2 && !FILE_LIKE.contains(tld));
      if (!ok) {
        continue;
      }
      int end = b.group(3) == null ? b.end(2) : trimTrailing(text, b.start(), b.end());
      out.add(PiiEntity.of(text, TYPE, b.start(), end, www ? 0.8 : 0.6, PiiEntity.Origin.PATTERN));
    }
    return out;
  }

  private static boolean insideAny(List<PiiEntity> found, int offset) {
    for (PiiEntity e : found) {
      if (offset >= e.start() && offset < e.end()) {
        return true;
      }
    }
    return false;
  }

  /** Drops sentence punctuation glued to the end of a URL, keeping balanced closing brackets. */
  private static int trimTrailing(String text, int start, int end) {
    while (end > start) {
      char c = text.charAt(end - 1);
      if (".,;:!?'\"".indexOf(c) >= 0) {
        end--;
      } else if (c == ')' && count(text, start, end, '(') < count(text, start, end, ')')) {
        end--;
      } else if (c == ']' && count(text, start, end, '[') < count(text, start, end, ']')) {
        end--;
      } else {
        break;
      }
    }
    return end;
  }

  private static int count(String text, int start, int end, char c) {
    int n = 0;
    for (int i = start; i < end; i++) {
      if (text.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }
}
