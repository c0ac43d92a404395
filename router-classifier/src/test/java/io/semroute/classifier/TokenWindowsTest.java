package io.semroute.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.registry.ClassifierRegistry;
import io.semroute.classifier.text.TokenWindow;
import io.semroute.classifier.text.TokenizedText;
import io.semroute.testkit.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Token classification of texts past the model's limit labels every token, window by window. */
class TokenWindowsTest {

  @Test
  void longTextIsLabelledWholeThroughOverlappingWindows() {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      words.add("t" + (4 + (i * 37) % 1000));
    }
    String text = String.join(" ", words);
    try (TokenClassifier c =
        ClassifierRegistry.openToken(
            Fixtures.golden("modernbert/token-cls"),
            LoadOptions.DEFAULT.withDevice(DeviceSpec.CPU))) {
      TokenClassification r = c.classify(List.of(text, "t5 t6")).get(0);
      assertThat(r.truncated()).isFalse();
      assertThat(r.tokens()).hasSize(1500);
      for (int i = 0; i < 1500; i++) {
        TokenLabel t = r.tokens().get(i);
        assertThat(t.token()).isEqualTo(words.get(i));
        assertThat(text.substring(t.start(), t.end())).isEqualTo(words.get(i));
      }

      TokenizedText full = c.encoder().tokenizer().tokenizeUntruncated(text);
      List<TokenWindow> windows =
          c.encoder().tokenizer().windows(full, TokenClassifier.WINDOW_OVERLAP);
      assertThat(windows).hasSizeGreaterThanOrEqualTo(3);
      // Each window's owned tokens get the labels that window gives when classified as a text of
      // its own.
      for (TokenWindow w : windows) {
        assertThat(w.text().length()).isLessThanOrEqualTo(512);
        int lead = 1;
        List<String> windowWords = new ArrayList<>();
        for (int k = lead; k < w.text().length() - 1; k++) {
          windowWords.add(w.text().tokens()[k]);
        }
        TokenClassification alone = c.classify(String.join(" ", windowWords));
        for (int k = 0; k < windowWords.size(); k++) {
          int fullIndex = w.firstFullIndex() + k;
          if (fullIndex >= w.ownedFrom() && fullIndex < w.ownedTo()) {
            assertThat(r.tokens().get(fullIndex - 1).label())
                .as("token %d", fullIndex)
                .isEqualTo(alone.tokens().get(k).label());
          }
        }
      }
    }
  }
}
