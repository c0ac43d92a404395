package io.semroute.classifier.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.classifier.checkpoint.CheckpointFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name to shard file) over the
 * shard files it names. Every shard must exist and hold the tensors the index says it does.
 */
public final class ShardedSafetensors implements TensorSource {
  private final Path index;
  private final Map<String, SafetensorsFile> byTensor;
  private final Map<String, SafetensorsFile> shards;

  private ShardedSafetensors(
      Path index, Map<String, SafetensorsFile> byTensor, Map<String, SafetensorsFile> shards) {
    this.index = index;
    this.byTensor = byTensor;
    this.shards = shards;
  }

  public static ShardedSafetensors open(Path index) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(index.toFile());
    } catch (IOException e) {
      throw new CheckpointFormatException(index + ": not valid JSON: " + e.getMessage(), e);
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject() || map.size() == 0) {
      throw new CheckpointFormatException(index + ": key 'weight_map' is missing or empty");
    }
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
    try {
      Iterator<Map.Entry<String, JsonNode>> it = map.properties().iterator();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String shardName = e.getValue().asText();
        Path shardPath = index.resolveSibling(shardName);
        if (!Files.isRegularFile(shardPath)) {
          throw new CheckpointFormatException(
              index + ": shard '" + shardName + "' (for tensor '" + e.getKey() + "') is missing");
        }
        SafetensorsFile shard =
            shards.computeIfAbsent(shardName, n -> SafetensorsFile.open(shardPath));
        if (!shard.has(e.getKey())) {
          throw new CheckpointFormatException(
              index + ": tensor '" + e.getKey() + "' is not in shard " + shardPath);
        }
        byTensor.put(e.getKey(), shard);
      }
    } catch (RuntimeException e) {
      shards.values().forEach(SafetensorsFile::close);
      throw e;
    }
    return new ShardedSafetensors(index, Collections.unmodifiableMap(byTensor), shards);
  }

  @Override
  public Set<String> names() {
    return byTensor.keySet();
  }

  @Override
  public long[] shape(String name) {
    return shard(name).shape(name);
  }

  @Override
  public ByteBuffer readFloat32(String name) {
    return shard(name).readFloat32(name);
  }

  private SafetensorsFile shard(String name) {
    SafetensorsFile f = byTensor.get(name);
    if (f == null) {
      throw new CheckpointFormatException(index + ": no tensor named '" + name + "'");
    }
    return f;
  }

  @Override
  public String describe() {
    return index.toString();
  }

  @Override
  public void close() {
    shards.values().forEach(SafetensorsFile::close);
  }
}
