package io.semroute.classifier.pii;

/** The Luhn (mod 10) check digit test used by payment card numbers. */
public final class Luhn {
  private Luhn() {}

  /** True when the digits of {@code number} (non-digits ignored) pass the Luhn test. */
  public static boolean isValid(CharSequence number) {
    int sum = 0;
    int digits = 0;
    for (int i = number.length() - 1; i >= 0; i--) {
      char c = number.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (digits % 2 == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      digits++;
    }
    return digits > 0 && sum % 10 == 0;
  }
}
