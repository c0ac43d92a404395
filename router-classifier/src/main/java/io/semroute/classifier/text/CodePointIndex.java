package io.semroute.classifier.text;

/**
 * Maps code-point offsets to UTF-16 offsets. The Rust tokenizers report character spans in Unicode
 * scalar values; Java strings index UTF-16 units, which differ after any emoji or other
 * supplementary character. For plain BMP text the mapping is the identity and costs nothing.
 */
final class CodePointIndex {
  private static final CodePointIndex IDENTITY = new CodePointIndex(null);
  private final int[] utf16ByCodePoint;

  private CodePointIndex(int[] table) {
    this.utf16ByCodePoint = table;
  }

  static CodePointIndex of(String text) {
    int cps = text.codePointCount(0, text.length());
    if (cps == text.length()) {
      return IDENTITY;
    }
    int[] t = new int[cps + 1];
    int u = 0;
    for (int c = 0; c < cps; c++) {
      t[c] = u;
      u += Character.charCount(text.codePointAt(u));
    }
    t[cps] = u;
    return new CodePointIndex(t);
  }

  int toUtf16(int codePointOffset) {
    if (utf16ByCodePoint == null) {
      return codePointOffset;
    }
    int c = Math.max(0, Math.min(codePointOffset, utf16ByCodePoint.length - 1));
    return utf16ByCodePoint[c];
  }
}
