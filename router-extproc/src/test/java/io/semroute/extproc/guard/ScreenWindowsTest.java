package io.semroute.extproc.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScreenWindowsTest {

  @Test
  void shortTextsAreReadWhole() {
    assertThat(ScreenWindows.of("hello")).containsExactly("hello");
    String four = "x".repeat(ScreenWindows.WHOLE_CHARS);
    assertThat(ScreenWindows.of(four)).containsExactly(four);
  }

  @Test
  void longTextsGetHeadTailAndSpacedSamplesUpToACap() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() < 6_000_000; i++) {
      sb.append("line ").append(i).append(" of a very long pasted log file\n");
    }
    String text = "HEAD " + sb + " TAIL";
    List<String> windows = ScreenWindows.of(text);
    assertThat(windows).hasSize(ScreenWindows.MAX_WINDOWS);
    assertThat(windows.get(0)).startsWith("HEAD ");
    assertThat(windows.get(windows.size() - 1)).endsWith(" TAIL");
    assertThat(windows).allMatch(w -> w.length() <= ScreenWindows.WINDOW_CHARS);
    // Samples are spread over the middle, in order.
    int last = -1;
    for (String w : windows) {
      int at = text.indexOf(w);
      assertThat(at).isGreaterThan(last);
      last = at;
    }
    assertThat(text.indexOf(windows.get(4))).isGreaterThan(text.length() / 3);
  }

  @Test
  void aTextJustOverTheLimitIsHeadAndTail() {
    String text = "a".repeat(ScreenWindows.WHOLE_CHARS + 10);
    assertThat(ScreenWindows.of(text)).hasSize(2);
  }
}
