package io.semroute.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.semroute.classifier.text.TextTokenizer;
import io.semroute.classifier.text.TruncationPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * The prompts the end-to-end benchmark sends: short ones (a question or an everyday request) and
 * long ones of about a given number of tokens (counted with the built-in MiniLM tokenizer, the
 * encoder the shipped classifiers read).
 *
 * <p>From real data when a data folder is given ({@code ../shared/data}): MMLU-Pro questions
 * (category/dev.jsonl), CLINC150 everyday requests (prompts/clinc150.jsonl) and MT-Bench first
 * turns (prompts/mt_bench.jsonl) for the short ones; long ones concatenate MMLU-Pro dev questions
 * and GSM8K word problems (prompts/gsm8k.jsonl). Without it, a small built-in list (resource {@code
 * prompts.txt}: short prompts, and paragraphs for the long ones).
 *
 * @param source one line saying where the prompts came from, for the report
 */
record BenchPrompts(List<String> shortPrompts, List<String> longPrompts, String source) {

  static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
  private static final String BUILT_IN = "prompts.txt";

  /**
   * @param dataDir ../shared/data, or null for the built-in list
   * @param shortCount how many short prompts
   * @param longCount how many long prompts
   * @param longTokens about how many tokens each long prompt has (at least this many)
   */
  static BenchPrompts load(Path dataDir, int shortCount, int longCount, int longTokens, long seed)
      throws IOException {
    try (TextTokenizer tokenizer = tokenizer()) {
      ToIntFunction<String> tokens = text -> tokenizer.tokenizeUntruncated(text).length();
      return dataDir == null
          ? builtIn(shortCount, longCount, longTokens, seed, tokens)
          : fromData(dataDir, shortCount, longCount, longTokens, seed, tokens);
    }
  }

  /** Mean token count of a list (MiniLM tokenizer, special tokens included). */
  static double meanTokens(List<String> texts) {
    try (TextTokenizer tokenizer = tokenizer()) {
      return texts.stream()
          .mapToInt(t -> tokenizer.tokenizeUntruncated(t).length())
          .average()
          .orElse(0);
    }
  }

  private static TextTokenizer tokenizer() {
    InputStream in = BenchPrompts.class.getClassLoader().getResourceAsStream(TOKENIZER_RESOURCE);
    if (in == null) {
      throw new IllegalStateException(TOKENIZER_RESOURCE + " is not on the class path");
    }
    return TextTokenizer.fromStream(
        in, "classpath:" + TOKENIZER_RESOURCE, TruncationPolicy.headAndTail(512));
  }

  private static BenchPrompts fromData(
      Path dir,
      int shortCount,
      int longCount,
      int longTokens,
      long seed,
      ToIntFunction<String> tokens)
      throws IOException {
    Random random = new Random(seed);
    List<String> mmlu = texts(dir.resolve("category/dev.jsonl"));
    List<String> clinc = texts(dir.resolve("prompts/clinc150.jsonl"));
    List<String> mtBench = texts(dir.resolve("prompts/mt_bench.jsonl"));
    List<String> gsm8k = texts(dir.resolve("prompts/gsm8k.jsonl"));
    // About two thirds exam questions, the rest everyday requests and chat-assistant tasks.
    int fromMtBench = Math.min(mtBench.size(), shortCount / 12);
    int fromClinc = shortCount / 4;
    int fromMmlu = shortCount - fromMtBench - fromClinc;
    List<String> shortPrompts = new ArrayList<>();
    shortPrompts.addAll(sample(mmlu, fromMmlu, random));
    shortPrompts.addAll(sample(clinc, fromClinc, random));
    shortPrompts.addAll(sample(mtBench, fromMtBench, random));
    Collections.shuffle(shortPrompts, random);

    // Long prompts: a page of exam questions and word problems to work through, in turn.
    List<String> pool = new ArrayList<>();
    pool.addAll(mmlu);
    pool.addAll(gsm8k.subList(0, Math.min(gsm8k.size(), mmlu.size())));
    Collections.shuffle(pool, random);
    List<String> longPrompts =
        concatenate(
            "Please answer each of the following questions and " + "show your reasoning.",
            pool,
            longCount,
            longTokens,
            tokens);
    String source =
        String.format(
            Locale.ROOT,
            "real data from %s: %d short prompts "
                + "(%d MMLU-Pro dev questions, %d CLINC150 requests, %d MT-Bench first turns), %d long "
                + "prompts of MMLU-Pro and GSM8K questions, seed %d",
            dir,
            shortPrompts.size(),
            fromMmlu,
            fromClinc,
            fromMtBench,
            longPrompts.size(),
            seed);
    return new BenchPrompts(List.copyOf(shortPrompts), longPrompts, source);
  }

  private static BenchPrompts builtIn(
      int shortCount, int longCount, int longTokens, long seed, ToIntFunction<String> tokens)
      throws IOException {
    List<String> shortOnes = new ArrayList<>();
    List<String> paragraphs = new ArrayList<>();
    try (InputStream in = BenchPrompts.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IOException(BUILT_IN + " is missing from the class path");
      }
      List<String> target = shortOnes;
      for (String line :
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList()) {
        if (line.isBlank() || line.startsWith("#")) {
          if (line.startsWith("# paragraphs")) {
            target = paragraphs;
          }
          continue;
        }
        target.add(line.trim());
      }
    }
    Random random = new Random(seed);
    List<String> shortPrompts = new ArrayList<>();
    while (shortPrompts.size() < shortCount) {
      List<String> round = new ArrayList<>(shortOnes);
      Collections.shuffle(round, random);
      shortPrompts.addAll(
          round.subList(0, Math.min(round.size(), shortCount - shortPrompts.size())));
    }
    List<String> pool = new ArrayList<>(paragraphs);
    Collections.shuffle(pool, random);
    List<String> longPrompts =
        concatenate(
            "Please read the following notes and summarise the main "
                + "points in a few sentences.",
            pool,
            longCount,
            longTokens,
            tokens);
    String source =
        String.format(
            Locale.ROOT,
            "the built-in list (%d distinct short "
                + "prompts, long prompts from %d paragraphs; no --data-dir given), seed %d",
            shortOnes.size(),
            paragraphs.size(),
            seed);
    return new BenchPrompts(List.copyOf(shortPrompts), longPrompts, source);
  }

  /**
   * {@code count} texts of at least {@code minTokens} tokens: an instruction, then pool items in
   * turn. An item that would take the text more than a tenth past the target is skipped, so the
   * texts end near the target rather than a long item past it.
   */
  private static List<String> concatenate(
      String instruction,
      List<String> pool,
      int count,
      int minTokens,
      ToIntFunction<String> tokens) {
    List<String> out = new ArrayList<>();
    int limit = minTokens + Math.max(8, minTokens / 10);
    int next = 0;
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder(instruction);
      int item = 1;
      int length = tokens.applyAsInt(text.toString());
      for (int tries = 0; length < minTokens && tries < pool.size(); tries++) {
        String candidate = text + "\n\n" + item + ". " + pool.get(next++ % pool.size());
        int candidateLength = tokens.applyAsInt(candidate);
        if (candidateLength <= limit || tries == pool.size() - 1) {
          text = new StringBuilder(candidate);
          length = candidateLength;
          item++;
        }
      }
      out.add(text.toString());
    }
    return List.copyOf(out);
  }

  private static List<String> sample(List<String> from, int count, Random random) {
    List<String> copy = new ArrayList<>(from);
    Collections.shuffle(copy, random);
    return copy.subList(0, Math.min(count, copy.size()));
  }

  /** The {@code text} field of each row of a JSON Lines file. */
  private static List<String> texts(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " not found (is --data-dir the shared data folder?)");
    }
    ObjectMapper json = new ObjectMapper();
    List<String> out = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode text = json.readTree(line).get("text");
          if (text != null && text.isTextual() && !text.asText().isBlank()) {
            out.add(text.asText());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(file + ": bad JSON line", e);
        }
      }
    }
    return out;
  }
}
