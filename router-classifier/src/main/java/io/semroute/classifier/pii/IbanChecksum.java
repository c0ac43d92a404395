package io.semroute.classifier.pii;

import java.util.Map;

/** ISO 13616 IBAN validation: country length table plus the ISO 7064 mod-97-10 check. */
public final class IbanChecksum {
  private IbanChecksum() {}

  // Registered IBAN lengths (SWIFT IBAN registry). A length mismatch rejects strings that happen
  // to pass mod-97 by chance (1 in 97), which matters because random alphanumerics are common.
  private static final Map<String, Integer> LENGTHS =
      Map.ofEntries(
          Map.entry("AD", 24),
          Map.entry("AE", 23),
          Map.entry("AL", 28),
          Map.entry("AT", 20),
          Map.entry("AZ", 28),
          Map.entry("BA", 20),
          Map.entry("BE", 16),
          Map.entry("BG", 22),
          Map.entry("BH", 22),
          Map.entry("BR", 29),
          Map.entry("BY", 28),
          Map.entry("CH", 21),
          Map.entry("CR", 22),
          Map.entry("CY", 28),
          Map.entry("CZ", 24),
          Map.entry("DE", 22),
          Map.entry("DK", 18),
          Map.entry("DO", 28),
          Map.entry("EE", 20),
          Map.entry("EG", 29),
          Map.entry("ES", 24),
          Map.entry("FI", 18),
          Map.entry("FO", 18),
          Map.entry("FR", 27),
          Map.entry("GB", 22),
          Map.entry("GE", 22),
          Map.entry("GI", 23),
          Map.entry("GL", 18),
          Map.entry("GR", 27),
          Map.entry("GT", 28),
          Map.entry("HR", 21),
          Map.entry("HU", 28),
          Map.entry("IE", 22),
          Map.entry("IL", 23),
          Map.entry("IQ", 23),
          Map.entry("IS", 26),
          Map.entry("IT", 27),
          Map.entry("JO", 30),
          Map.entry("KW", 30),
          Map.entry("KZ", 20),
          Map.entry("LB", 28),
          Map.entry("LC", 32),
          Map.entry("LI", 21),
          Map.entry("LT", 20),
          Map.entry("LU", 20),
          Map.entry("LV", 21),
          Map.entry("MC", 27),
          Map.entry("MD", 24),
          Map.entry("ME", 22),
          Map.entry("MK", 19),
          Map.entry("MR", 27),
          Map.entry("MT", 31),
          Map.entry("MU", 30),
          Map.entry("NL", 18),
          Map.entry("NO", 15),
          Map.entry("PK", 24),
          Map.entry("PL", 28),
          Map.entry("PS", 29),
          Map.entry("PT", 25),
          Map.entry("QA", 29),
          Map.entry("RO", 24),
          Map.entry("RS", 22),
          Map.entry("SA", 24),
          Map.entry("SC", 31),
          Map.entry("SE", 24),
          Map.entry("SI", 19),
          Map.entry("SK", 24),
          Map.entry("SM", 27),
          Map.entry("ST", 25),
          Map.entry("SV", 28),
          Map.entry("TL", 23),
          Map.entry("TN", 24),
          Map.entry("TR", 26),
          Map.entry("UA", 29),
          Map.entry("VA", 22),
          Map.entry("VG", 24),
          Map.entry("XK", 20));

  /** Removes spaces and upper-cases; IBANs are often written in groups of four and lower case. */
  public static String normalize(CharSequence iban) {
    StringBuilder sb = new StringBuilder(iban.length());
    for (int i = 0; i < iban.length(); i++) {
      char c = iban.charAt(i);
      if (c != ' ') {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  /** True when {@code iban} has a known country, that country's length and a valid check. */
  public static boolean isValid(CharSequence iban) {
    String s = normalize(iban);
    if (s.length() < 15 || s.length() > 34) {
      return false;
    }
    Integer expected = LENGTHS.get(s.substring(0, 2));
    if (expected == null || expected != s.length()) {
      return false;
    }
    if (!Character.isDigit(s.charAt(2)) || !Character.isDigit(s.charAt(3))) {
      return false;
    }
    // Move the country code and check digits to the end, map letters to 10..35 and take mod 97
    // incrementally so the number never needs more than an int.
    String rearranged = s.substring(4) + s.substring(0, 4);
    int mod = 0;
    for (int i = 0; i < rearranged.length(); i++) {
      char c = rearranged.charAt(i);
      if (c >= '0' && c <= '9') {
        mod = (mod * 10 + (c - '0')) % 97;
      } else if (c >= 'A' && c <= 'Z') {
        mod = (mod * 100 + (c - 'A' + 10)) % 97;
      } else {
        return false;
      }
    }
    return mod == 1;
  }
}
