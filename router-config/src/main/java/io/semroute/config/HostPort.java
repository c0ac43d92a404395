package io.semroute.config;

import java.util.regex.Pattern;

/**
 * Parses a backend {@code address: host:port}. The host may be a DNS name (a Kubernetes Service, a
 * docker-compose service), an IPv4 address, or a bracketed IPv6 address: users of the reference
 * router complained that only IPs were accepted. No lookup happens here: names are resolved by
 * Envoy at connection time, and a config must load even while DNS is not ready.
 */
record HostPort(String host, int port) {
  // RFC 1123 label: letters, digits, hyphens; not starting or ending with a hyphen; ≤ 63 chars.
  private static final Pattern DNS_LABEL =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?");

  /**
   * Parses {@code text}; IPv6 hosts keep their brackets.
   *
   * @throws IllegalArgumentException with a message fit for a config error
   */
  static HostPort parse(String text) {
    String hostPart;
    String portPart;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        throw new IllegalArgumentException(
            "expected '[ipv6]:port', e.g. '[fd00::1]:8000', found '" + text + "'");
      }
      String inner = text.substring(1, close);
      if (!IPV6.matcher(inner).matches() || !inner.contains(":")) {
        throw new IllegalArgumentException("'" + inner + "' is not an IPv6 address");
      }
      // Keep the brackets: Backend.address() must stay a valid host:port for Envoy.
      hostPart = text.substring(0, close + 1);
      portPart = text.substring(close + 2);
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "expected 'host:port', e.g. 'vllm-qwen:8000', found '" + text + "' (no port)");
      }
      hostPart = text.substring(0, colon);
      portPart = text.substring(colon + 1);
      if (hostPart.contains(":")) {
        throw new IllegalArgumentException(
            "IPv6 addresses need brackets, e.g. '[fd00::1]:8000', found '" + text + "'");
      }
      checkHostName(hostPart);
    }
    return new HostPort(hostPart, parsePort(portPart));
  }

  private static void checkHostName(String host) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (IPV4.matcher(host).matches()) {
      for (String octet : host.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
        }
      }
      return;
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (name.length() > 253) {
      throw new IllegalArgumentException("host name is longer than 253 characters");
    }
    for (String label : name.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(
            "'"
                + host
                + "' is not a valid host name (DNS labels use letters, digits and '-', "
                + "1-63 characters, not starting or ending with '-')");
      }
    }
  }

  private static int parsePort(String text) {
    if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 5) {
      throw new IllegalArgumentException(
          "port must be a number from 1 to 65535, found '" + text + "'");
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be from 1 to 65535, found " + port);
    }
    return port;
  }
}
