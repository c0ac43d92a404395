package io.semroute.extproc.decision;

/**
 * What of a very long prompt the classifiers read. The instruction of a long prompt usually sits at
 * an end (a question after pasted context, or an instruction before it), the models read a few
 * hundred tokens of head + tail anyway, and tokenizing or scanning megabytes would blow Envoy's
 * per-message timeout. So a text over {@value #HEAD_CHARS} + {@value #TAIL_CHARS} characters is cut
 * to its first {@value #HEAD_CHARS} and last {@value #TAIL_CHARS} characters.
 */
public final class LongPrompts {
  public static final int HEAD_CHARS = 16 * 1024;
  public static final int TAIL_CHARS = 48 * 1024;

  private LongPrompts() {}

  public static String headAndTail(String text) {
    if (text.length() <= HEAD_CHARS + TAIL_CHARS) {
      return text;
    }
    return text.substring(0, HEAD_CHARS) + "\n" + text.substring(text.length() - TAIL_CHARS);
  }
}
