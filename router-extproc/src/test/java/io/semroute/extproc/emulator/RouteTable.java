package io.semroute.extproc.emulator;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Envoy's route matching for the subset deploy/envoy/envoy.yaml uses: path / prefix matches and
 * header matchers (exact string match or presence). First matching route wins, as in Envoy. A
 * matcher kind the emulator does not implement fails loudly at construction, so a route table the
 * emulator cannot play is never silently misread.
 */
public final class RouteTable {
  public record RouteEntry(String name, RouteMatch match, String cluster) {}

  private final List<RouteEntry> routes = new ArrayList<>();
  private final Map<String, List<String>> clusterEndpoints = new LinkedHashMap<>();

  public RouteTable(RouteConfiguration config, Map<String, Cluster> clusters) {
    if (config.getVirtualHostsCount() != 1) {
      throw new IllegalArgumentException("emulator supports exactly one virtual host");
    }
    for (Route r : config.getVirtualHosts(0).getRoutesList()) {
      RouteMatch m = r.getMatch();
      switch (m.getPathSpecifierCase()) {
        case PREFIX, PATH -> {}
        default ->
            throw new IllegalArgumentException("unsupported path match in route " + r.getName());
      }
      for (HeaderMatcher h : m.getHeadersList()) {
        boolean exact =
            h.hasStringMatch()
                && h.getStringMatch().getMatchPatternCase() == StringMatcher.MatchPatternCase.EXACT;
        boolean present =
            h.getHeaderMatchSpecifierCase() == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH;
        if (!exact && !present) {
          throw new IllegalArgumentException("unsupported header matcher in route " + r.getName());
        }
      }
      if (!r.hasRoute() || r.getRoute().getCluster().isEmpty()) {
        throw new IllegalArgumentException("route " + r.getName() + " must name a cluster");
      }
      routes.add(new RouteEntry(r.getName(), m, r.getRoute().getCluster()));
    }
    for (Cluster c : clusters.values()) {
      List<String> endpoints = new ArrayList<>();
      for (LocalityLbEndpoints locality : c.getLoadAssignment().getEndpointsList()) {
        for (LbEndpoint e : locality.getLbEndpointsList()) {
          SocketAddress a = e.getEndpoint().getAddress().getSocketAddress();
          endpoints.add(a.getAddress() + ":" + a.getPortValue());
        }
      }
      clusterEndpoints.put(c.getName(), List.copyOf(endpoints));
    }
  }

  public static RouteTable of(EnvoyConfig envoy) {
    return new RouteTable(envoy.httpConnectionManager().getRouteConfig(), envoy.clusters());
  }

  /**
   * @param headers lower-case names, including {@code :path}
   */
  public Optional<RouteEntry> match(Map<String, List<String>> headers) {
    String path = first(headers, ":path");
    String pathOnly = path == null ? "" : path.split("\\?", 2)[0];
    for (RouteEntry r : routes) {
      RouteMatch m = r.match();
      boolean pathOk =
          switch (m.getPathSpecifierCase()) {
            case PREFIX -> pathOnly.startsWith(m.getPrefix());
            case PATH -> pathOnly.equals(m.getPath());
            default -> false;
          };
      if (pathOk && headersMatch(m.getHeadersList(), headers)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  private static boolean headersMatch(
      List<HeaderMatcher> matchers, Map<String, List<String>> headers) {
    for (HeaderMatcher h : matchers) {
      String value = first(headers, h.getName().toLowerCase());
      boolean ok =
          h.getHeaderMatchSpecifierCase() == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH
              ? value != null
              : value != null && value.equals(h.getStringMatch().getExact());
      if (ok == h.getInvertMatch()) {
        return false;
      }
    }
    return true;
  }

  /** host:port endpoints of a cluster as written in the config (DNS names included). */
  public List<String> endpoints(String cluster) {
    List<String> e = clusterEndpoints.get(cluster);
    if (e == null) {
      throw new IllegalArgumentException("route points at unknown cluster " + cluster);
    }
    return e;
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
