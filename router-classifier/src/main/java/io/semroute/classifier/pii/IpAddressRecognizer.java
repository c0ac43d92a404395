package io.semroute.classifier.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IPv4 (dotted quad, octets 0-255, no leading zeros) and IPv6 (full, compressed with {@code ::},
 * optionally with an embedded IPv4 tail). A dotted quad right after "version", "v", "release" or
 * "build" is a version string, not an address.
 */
public final class IpAddressRecognizer implements PiiRecognizer {
  public static final String TYPE = "IP_ADDRESS";

  private static final Pattern IPV4 =
      Pattern.compile(
          "(?<![\\w.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\w]|\\.\\d)");
  private static final Pattern IPV6_CANDIDATE =
      Pattern.compile("(?<![\\w:.])[0-9A-Fa-f:]*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?![\\w:])");
  private static final ContextWords VERSION_CUES =
      new ContextWords(
          12,
          "version",
          "versions",
          "ver",
          "v",
          "release",
          "build",
          "firmware",
          "update",
          "upgrade");

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<PiiEntity> find(String text) {
    List<PiiEntity> out = new ArrayList<>();
    Matcher m = IPV4.matcher(text);
    while (m.find()) {
      if (isIpv4(m.group()) && !VERSION_CUES.before(text, m.start())) {
        out.add(
            PiiEntity.of(text, TYPE, m.start(), m.end(), 0.95, PiiEntity.Origin.VALIDATED_PATTERN));
      }
    }
    Matcher v6 = IPV6_CANDIDATE.matcher(text);
    while (v6.find()) {
      String s = v6.group();
      // Trailing sentence punctuation is not part of the address.
      int end = v6.end();
      while (s.endsWith(".")) {
        s = s.substring(0, s.length() - 1);
        end--;
      }
      if (isIpv6(s)) {
        out.add(
            PiiEntity.of(text, TYPE, v6.start(), end, 0.95, PiiEntity.Origin.VALIDATED_PATTERN));
      }
    }
    return out;
  }

  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (p.length() > 1 && p.charAt(0) == '0') {
        return false;
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6(String s) {
    if (s.length() < 2 || s.length() > 45) {
      return false;
    }
    int groupsWanted = 8;
    String body = s;
    int lastColon = s.lastIndexOf(':');
    if (s.indexOf('.') >= 0) {
      // Embedded IPv4 (e.g. ::ffff:192.0.2.1) takes the place of the last two groups.
      if (!isIpv4(s.substring(lastColon + 1))) {
        return false;
      }
      body = s.substring(0, lastColon + 1) + "0";
      groupsWanted = 7;
    }
    int dbl = body.indexOf("::");
    if (dbl >= 0 && body.indexOf("::", dbl + 1) >= 0) {
      return false;
    }
    if (dbl < 0) {
      String[] groups = body.split(":", -1);
      return groups.length == groupsWanted && allHexGroups(groups);
    }
    String head = body.substring(0, dbl);
    String tail = body.substring(dbl + 2);
    String[] h = head.isEmpty() ? new String[0] : head.split(":", -1);
    String[] t = tail.isEmpty() ? new String[0] : tail.split(":", -1);
    if (h.length + t.length > groupsWanted - 1 || !allHexGroups(h) || !allHexGroups(t)) {
      return false;
    }
    // A lone "::" (or "::" plus nothing meaningful) is punctuation far more often than an address.
    return h.length + t.length > 0;
  }

  private static boolean allHexGroups(String[] groups) {
    for (String g : groups) {
      if (g.isEmpty() || g.length() > 4) {
        return false;
      }
      for (int i = 0; i < g.length(); i++) {
        if (Character.digit(g.charAt(i), 16) < 0) {
          return false;
        }
      }
    }
    return true;
  }
}
