package io.semroute.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.semroute.tools.train.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A ModernBERT sequence classifier with the shape of {@code answerdotai/ModernBERT-base} (hidden
 * 768, 22 layers, 12 heads, intermediate 1152, sliding window 128, global attention every third
 * layer) and random weights, written as a Hugging Face model directory. Speed depends on shape, not
 * on weight values, so this stands in for a fine-tuned checkpoint we cannot download here.
 *
 * <p>The vocabulary is a small WordLevel one ({@code t4 … t1023}): the embedding lookup costs the
 * same whatever the vocabulary size, and a small table keeps the directory smaller.
 */
public final class SyntheticModernBert {

  public static final int HIDDEN = 768;
  public static final int LAYERS = 22;
  public static final int HEADS = 12;
  public static final int INTERMEDIATE = 1152;
  public static final int LOCAL_ATTENTION = 128;
  public static final int GLOBAL_EVERY = 3;
  public static final int VOCAB = 1024;
  public static final int LABELS = 14;

  private SyntheticModernBert() {}

  /** Writes config.json, model.safetensors and tokenizer.json into {@code dir}. */
  public static Path write(Path dir, long seed) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(seed);
    SafetensorsWriter tensors = new SafetensorsWriter().metadata("format", "pt");
    random(tensors, random, "model.embeddings.tok_embeddings.weight", VOCAB, HIDDEN);
    ones(tensors, "model.embeddings.norm.weight", HIDDEN);
    for (int i = 0; i < LAYERS; i++) {
      String p = "model.layers." + i + ".";
      if (i > 0) { // layer 0 uses the embedding norm output directly (identity attn_norm)
        ones(tensors, p + "attn_norm.weight", HIDDEN);
      }
      random(tensors, random, p + "attn.Wqkv.weight", 3 * HIDDEN, HIDDEN);
      random(tensors, random, p + "attn.Wo.weight", HIDDEN, HIDDEN);
      ones(tensors, p + "mlp_norm.weight", HIDDEN);
      random(tensors, random, p + "mlp.Wi.weight", 2 * INTERMEDIATE, HIDDEN);
      random(tensors, random, p + "mlp.Wo.weight", HIDDEN, INTERMEDIATE);
    }
    ones(tensors, "model.final_norm.weight", HIDDEN);
    random(tensors, random, "head.dense.weight", HIDDEN, HIDDEN);
    ones(tensors, "head.norm.weight", HIDDEN);
    random(tensors, random, "classifier.weight", LABELS, HIDDEN);
    tensors.put("classifier.bias", new float[LABELS], LABELS);
    tensors.write(dir.resolve("model.safetensors"));
    writeConfig(dir.resolve("config.json"));
    writeTokenizer(dir.resolve("tokenizer.json"));
    return dir;
  }

  /** A prompt of exactly {@code tokens} tokens including [CLS] and [SEP]. */
  public static String prompt(int tokens, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < tokens - 2; i++) {
      if (i > 0) {
        text.append(' ');
      }
      text.append('t').append(4 + random.nextInt(VOCAB - 4));
    }
    return text.toString();
  }

  private static void random(
      SafetensorsWriter tensors, SplittableRandom random, String name, int rows, int cols) {
    float[] values = new float[rows * cols];
    for (int i = 0; i < values.length; i++) {
      // Uniform with the spread of the usual N(0, 0.02) initialiser: activations stay finite.
      values[i] = (float) ((random.nextDouble() - 0.5) * 0.07);
    }
    tensors.put(name, values, rows, cols);
  }

  private static void ones(SafetensorsWriter tensors, String name, int size) {
    float[] values = new float[size];
    Arrays.fill(values, 1f);
    tensors.put(name, values, size);
  }

  private static void writeConfig(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode c = json.createObjectNode();
    c.putArray("architectures").add("ModernBertForSequenceClassification");
    c.put("model_type", "modernbert");
    c.put("vocab_size", VOCAB);
    c.put("hidden_size", HIDDEN);
    c.put("intermediate_size", INTERMEDIATE);
    c.put("num_hidden_layers", LAYERS);
    c.put("num_attention_heads", HEADS);
    c.put("hidden_activation", "gelu");
    c.put("max_position_embeddings", 8192);
    c.put("initializer_range", 0.02);
    c.put("norm_eps", 1e-5);
    c.put("norm_bias", false);
    c.put("pad_token_id", 0);
    c.put("cls_token_id", 1);
    c.put("sep_token_id", 2);
    c.put("bos_token_id", 1);
    c.put("eos_token_id", 2);
    c.put("global_rope_theta", 160000.0);
    c.put("local_rope_theta", 10000.0);
    c.put("attention_bias", false);
    c.put("attention_dropout", 0.0);
    c.put("global_attn_every_n_layers", GLOBAL_EVERY);
    c.put("local_attention", LOCAL_ATTENTION);
    c.put("embedding_dropout", 0.0);
    c.put("mlp_bias", false);
    c.put("mlp_dropout", 0.0);
    c.put("decoder_bias", true);
    c.put("classifier_pooling", "mean");
    c.put("classifier_dropout", 0.0);
    c.put("classifier_bias", false);
    c.put("classifier_activation", "gelu");
    ObjectNode id2label = c.putObject("id2label");
    ObjectNode label2id = c.putObject("label2id");
    for (int i = 0; i < LABELS; i++) {
      id2label.put(Integer.toString(i), "LABEL_" + i);
      label2id.put("LABEL_" + i, i);
    }
    c.put("torch_dtype", "float32");
    json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), c);
  }

  /**
   * A WordLevel tokenizer.json with a BERT-style [CLS] … [SEP] template, like the golden models.
   */
  private static void writeTokenizer(Path file) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode t = json.createObjectNode();
    t.put("version", "1.0");
    t.putNull("truncation");
    t.putNull("padding");
    ArrayNode added = t.putArray("added_tokens");
    String[] specials = {"[PAD]", "[CLS]", "[SEP]", "[UNK]"};
    for (int i = 0; i < specials.length; i++) {
      ObjectNode a = added.addObject();
      a.put("id", i);
      a.put("content", specials[i]);
      a.put("single_word", false);
      a.put("lstrip", false);
      a.put("rstrip", false);
      a.put("normalized", false);
      a.put("special", true);
    }
    t.putNull("normalizer");
    t.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
    ObjectNode post = t.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    single.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", "[CLS]").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    pair.addObject().putObject("SpecialToken").put("id", "[SEP]").put("type_id", 1);
    ObjectNode specialTokens = post.putObject("special_tokens");
    for (String s : new String[] {"[CLS]", "[SEP]"}) {
      ObjectNode st = specialTokens.putObject(s);
      st.put("id", s);
      st.putArray("ids").add(s.equals("[CLS]") ? 1 : 2);
      st.putArray("tokens").add(s);
    }
    t.putNull("decoder");
    ObjectNode model = t.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    for (int i = 0; i < specials.length; i++) {
      vocab.put(specials[i], i);
    }
    for (int i = specials.length; i < VOCAB; i++) {
      vocab.put("t" + i, i);
    }
    model.put("unk_token", "[UNK]");
    json.writeValue(file.toFile(), t);
  }
}
