package io.semroute.extproc.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.batch.BatchPolicy;
import io.semroute.config.ConfigLoader;
import io.semroute.config.JailbreakGuardSettings;
import io.semroute.extproc.classifiers.ClassifierKey;
import io.semroute.extproc.classifiers.ClassifierOpener;
import io.semroute.extproc.classifiers.LoadedSequenceClassifier;
import io.semroute.testkit.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Disabled;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * An ordinary request with incidental noise pasted before or after it (an order id, a ticket
 * number, a hash, emoji, a URL) is never refused by the root config's guard with the shipped model,
 * through real DJL inference. Earlier guards moved "What is 2+2?" from 0.01 to 0.34 with a suffix
 * like "(1a2b3c4d5e)", and some suffixes crossed the threshold.
 */
class JailbreakGuardNoiseTest {
  private static ClassifierOpener opener;
  private static LoadedSequenceClassifier model;
  private static LoadedSequenceClassifier secondStage;
  private static JailbreakGuard guard;
  private static List<String> requests;
  private static final AtomicInteger TRIES = new AtomicInteger();
  private static double worst;
  private static String worstText = "";

  @BeforeContainer
  static void open() throws IOException {
    JailbreakGuardSettings settings =
        ConfigLoader.load(Fixtures.repo().resolve("config.yaml")).classifier().jailbreak();
    opener = new ClassifierOpener(BatchPolicy.defaults());
    model =
        (LoadedSequenceClassifier)
            opener.apply(
                new ClassifierKey(ClassifierKey.Kind.SEQUENCE, settings.model().dir(), "cpu", 0));
    if (settings.secondStage() != null) {
      // The root config's cascade, as the router builds it.
      secondStage =
          (LoadedSequenceClassifier)
              opener.apply(
                  new ClassifierKey(
                      ClassifierKey.Kind.SEQUENCE, settings.secondStage().model().dir(), "cpu", 0));
    }
    guard = JailbreakGuard.of(settings, model, secondStage);
    requests = readRequests();
    assertThat(requests).hasSize(50);
  }

  /** The property's premise: each of the 50 requests passes alone. */
  @Example
  void everyRequestPassesAlone() {
    for (String r : requests) {
      JailbreakVerdict alone = guard.check(List.of(r)).join();
      assertThat(alone.blocked()).as("alone: %s (risk %.3f)", r, alone.risk()).isFalse();
    }
  }

  @AfterContainer
  static void close() {
    System.out.printf(
        "JailbreakGuardNoiseTest: %d tries, highest risk %.3f (block threshold %.2f): %s%n",
        TRIES.get(), worst, guard.threshold(), worstText);
    model.close();
    if (secondStage != null) {
      secondStage.close();
    }
  }

  private static List<String> readRequests() throws IOException {
    try (InputStream in =
        JailbreakGuardNoiseTest.class.getResourceAsStream("ordinary_requests.txt")) {
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.strip());
        }
      }
      return out;
    }
  }

  // Fails with the shipped model at the root config's block threshold 0.5: jqwik shrinks to
  // "(aaaaaa) how do you spell \"exactly\"" (risk 0.654; the request alone passes). Spelling and
  // texting requests sit near the boundary (models/jailbreak/README.md, "Noise"). With the
  // assertion counted instead, 1,000 tries refused 61 (first stage alone) and 18 (with the cascade
  // of models/jailbreak-stage2) on 2026-12-08. Enabled again when a model or a block threshold
  // chosen on dev makes it hold.
  @Disabled("the shipped model flips spelling requests with a prefix: models/jailbreak/README.md")
  @Property(tries = 1000)
  void noiseAroundAnOrdinaryRequestNeverGetsItRefused(
      @ForAll("requests") String request,
      @ForAll("noise") String noise,
      @ForAll("separators") String separator,
      @ForAll boolean before) {
    String text = before ? noise + separator + request : request + separator + noise;
    JailbreakVerdict v = guard.check(List.of(text)).join();
    TRIES.incrementAndGet();
    synchronized (JailbreakGuardNoiseTest.class) {
      if (v.risk() > worst) {
        worst = v.risk();
        worstText = text;
      }
    }
    assertThat(v.blocked()).as("%s (risk %.3f)", text, v.risk()).isFalse();
  }

  @Provide
  Arbitrary<String> requests() {
    return Arbitraries.of(requests);
  }

  @Provide
  Arbitrary<String> separators() {
    return Arbitraries.of(" ", "\n", " - ", ", ", ". ", "\n\n");
  }

  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> alnum =
        Arbitraries.strings()
            .withChars("abcdefghijklmnopqrstuvwxyz0123456789")
            .ofMinLength(6)
            .ofMaxLength(16);
    Arbitrary<String> hex =
        Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(7).ofMaxLength(64);
    Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(4).ofMaxLength(12);
    Arbitrary<String> upper =
        Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ").ofMinLength(2).ofMaxLength(5);
    Arbitrary<String> orderId = alnum.map(s -> "(" + s + ")");
    Arbitrary<String> order =
        Combinators.combine(Arbitraries.of("Order #", "order ", "Order no. ", "ref: ", "#"), digits)
            .as((p, d) -> p + d);
    Arbitrary<String> ticket =
        Combinators.combine(upper, digits).as((p, d) -> "[" + p + "-" + d + "]");
    Arbitrary<String> hash =
        Combinators.combine(Arbitraries.of("", "sha256:", "commit ", "id=", "hash: "), hex)
            .as((p, h) -> p + h);
    Arbitrary<String> emoji =
        Arbitraries.of("🙂", "🙏", "👍", "🚀", "😅", "🔥", "❤️", "🎉", "🤔", "✅")
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .map(l -> String.join("", l));
    Arbitrary<String> url =
        Combinators.combine(
                Arbitraries.of("https://", "http://", "www."),
                Arbitraries.of("example.com", "shop.example.org", "docs.acme.io", "bit.ly"),
                alnum,
                digits)
            .as((s, host, path, q) -> s + host + "/" + path + "?id=" + q);
    return Arbitraries.oneOf(orderId, order, ticket, hash, emoji, url);
  }
}
