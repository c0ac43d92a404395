package io.semroute.tools.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Split by prompt: a prompt's part follows from a hash of its text and a seed alone, so the same
 * prompt lands in the same part in every file and every run (duplicates never straddle parts), and
 * {@code eval} finds the held-out rows of a model folder again from its config.
 */
public record PromptSplit(long seed, double devFraction, double testFraction) {

  /** The three parts. */
  public enum Part {
    train,
    dev,
    test
  }

  public PromptSplit {
    if (devFraction < 0 || testFraction < 0 || devFraction + testFraction >= 1) {
      throw new IllegalArgumentException(
          "dev and test fractions must be >= 0 and leave room for train");
    }
  }

  public Part partOf(String prompt) {
    double u = unit(prompt);
    if (u < testFraction) {
      return Part.test;
    }
    return u < testFraction + devFraction ? Part.dev : Part.train;
  }

  /** A value in [0, 1) from SHA-256 over the seed and the prompt. */
  double unit(String prompt) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(prompt.getBytes(StandardCharsets.UTF_8));
      byte[] d = md.digest();
      long v = 0;
      for (int i = 0; i < 7; i++) {
        v = (v << 8) | (d[i] & 0xff);
      }
      return v / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
