package io.semroute.extproc.emulator;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.semroute.extproc.openai.Json;
import io.semroute.testkit.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * deploy/envoy/envoy.yaml read the way Envoy reads it: YAML → JSON → Envoy's {@link Bootstrap}
 * proto, strictly (an unknown field or an unknown {@code @type} fails), with every typed config the
 * file uses registered.
 */
public final class EnvoyConfig {
  public static final String EXT_PROC_FILTER = "envoy.filters.http.ext_proc";
  public static final String HCM_FILTER = "envoy.filters.network.http_connection_manager";

  /** Every {@code @type} deploy/envoy/envoy.yaml may use. */
  public static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(HttpConnectionManager.getDescriptor())
          .add(ExternalProcessor.getDescriptor())
          .add(Router.getDescriptor())
          .add(HttpProtocolOptions.getDescriptor())
          .add(UpstreamCodec.getDescriptor())
          .add(PreviousPrioritiesConfig.getDescriptor())
          .build();

  private final Path file;
  private final Bootstrap bootstrap;

  private EnvoyConfig(Path file, Bootstrap bootstrap) {
    this.file = file;
    this.bootstrap = bootstrap;
  }

  /** The repository's deploy/envoy/envoy.yaml (tests run in the module directory). */
  public static Path defaultPath() {
    return Fixtures.repo("deploy/envoy/envoy.yaml");
  }

  public static EnvoyConfig load() throws IOException {
    return load(defaultPath());
  }

  public static EnvoyConfig load(Path file) throws IOException {
    Object yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    String json = Json.MAPPER.writeValueAsString(yaml);
    Bootstrap.Builder builder = Bootstrap.newBuilder();
    // JsonFormat's parser rejects unknown fields unless told otherwise: that is the strictness.
    JsonFormat.parser().usingTypeRegistry(TYPES).merge(json, builder);
    return new EnvoyConfig(file, builder.build());
  }

  public Path file() {
    return file;
  }

  public Bootstrap bootstrap() {
    return bootstrap;
  }

  public Listener listener() {
    if (bootstrap.getStaticResources().getListenersCount() != 1) {
      throw new IllegalStateException("expected exactly one listener in " + file);
    }
    return bootstrap.getStaticResources().getListeners(0);
  }

  public HttpConnectionManager httpConnectionManager() {
    for (Filter f : listener().getFilterChains(0).getFiltersList()) {
      if (f.getName().equals(HCM_FILTER)) {
        return unpack(f.getTypedConfig(), HttpConnectionManager.class);
      }
    }
    throw new IllegalStateException("no " + HCM_FILTER + " in " + file);
  }

  public ExternalProcessor extProc() {
    for (HttpFilter f : httpConnectionManager().getHttpFiltersList()) {
      if (f.getName().equals(EXT_PROC_FILTER)) {
        return unpack(f.getTypedConfig(), ExternalProcessor.class);
      }
    }
    throw new IllegalStateException("no " + EXT_PROC_FILTER + " in " + file);
  }

  public Map<String, Cluster> clusters() {
    Map<String, Cluster> byName = new LinkedHashMap<>();
    for (Cluster c : bootstrap.getStaticResources().getClustersList()) {
      byName.put(c.getName(), c);
    }
    return byName;
  }

  public static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("typed_config is not a " + type.getSimpleName(), e);
    }
  }
}
