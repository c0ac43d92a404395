package io.semroute.classifier.pii;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChecksumTest {

  @Test
  void luhnAcceptsKnownTestCardsAndRejectsOneDigitChanges() {
    assertThat(Luhn.isValid("4111111111111111")).isTrue();
    assertThat(Luhn.isValid("4111 1111 1111 1111")).isTrue();
    assertThat(Luhn.isValid("378282246310005")).isTrue(); // Amex test number
    assertThat(Luhn.isValid("4111111111111112")).isFalse();
    assertThat(Luhn.isValid("378282246310006")).isFalse();
    assertThat(Luhn.isValid("")).isFalse();
  }

  @Test
  void ibanChecksumFollowsMod97AndCountryLength() {
    assertThat(IbanChecksum.isValid("GB82WEST12345698765432")).isTrue();
    assertThat(IbanChecksum.isValid("GB82 WEST 1234 5698 7654 32")).isTrue();
    assertThat(IbanChecksum.isValid("gb82west12345698765432")).isTrue();
    assertThat(IbanChecksum.isValid("DE89370400440532013000")).isTrue();
    // one changed check digit, one changed account digit, wrong length for GB, unknown country
    assertThat(IbanChecksum.isValid("GB83WEST12345698765432")).isFalse();
    assertThat(IbanChecksum.isValid("GB82WEST12345698765433")).isFalse();
    assertThat(IbanChecksum.isValid("GB82WEST1234569876543")).isFalse();
    assertThat(IbanChecksum.isValid("ZZ82WEST12345698765432")).isFalse();
  }
}
