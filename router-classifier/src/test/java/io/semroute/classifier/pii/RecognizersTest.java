package io.semroute.classifier.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecognizersTest {

  private static List<String> texts(PiiRecognizer r, String s) {
    return r.find(s).stream().map(PiiEntity::text).toList();
  }

  @Test
  void emailFindsAddressesWithOffsetsAndIgnoresAtSignsInProse() {
    EmailRecognizer r = new EmailRecognizer();
    String s = "Mail UtaKortig@jourrapide.com or j.doe+tag@mail.example.co.uk.";
    List<PiiEntity> found = r.find(s);
    assertThat(found)
        .extracting(PiiEntity::text)
        .containsExactly("UtaKortig@jourrapide.com", "j.doe+tag@mail.example.co.uk");
    assertThat(found.get(0).start()).isEqualTo(5);
    assertThat(found.get(0).end()).isEqualTo(5 + "UtaKortig@jourrapide.com".length());
    assertThat(texts(r, "meet @ 5pm, user@localhost, a..b@x.com")).isEmpty();
  }

  @Test
  void creditCardNeedsLuhnAndCardGrouping() {
    CreditCardRecognizer r = new CreditCardRecognizer();
    assertThat(texts(r, "card 4454794511390933 please")).containsExactly("4454794511390933");
    assertThat(texts(r, "card 4111 1111 1111 1111.")).containsExactly("4111 1111 1111 1111");
    assertThat(texts(r, "amex 3782-822463-10005")).containsExactly("3782-822463-10005");
    // fails Luhn by one digit
    assertThat(texts(r, "card 4454794511390934")).isEmpty();
    // passes Luhn but grouped like a phone number, not a card
    assertThat(Luhn.isValid("212846982545")).isTrue();
    assertThat(texts(r, "call 21 284 698 2545")).isEmpty();
    // all zeros passes Luhn trivially
    assertThat(texts(r, "0000 0000 0000 0000")).isEmpty();
  }

  @Test
  void ssnRejectsNumbersTheSsaNeverIssues() {
    UsSsnRecognizer r = new UsSsnRecognizer();
    assertThat(texts(r, "my ssn is 460-89-9847")).containsExactly("460-89-9847");
    assertThat(texts(r, "000-12-3456 666-12-3456 912-12-3456 123-00-4567 123-45-0000")).isEmpty();
    // bare nine digits only with a cue word
    assertThat(texts(r, "order 460899847 shipped")).isEmpty();
    assertThat(texts(r, "SSN: 460899847")).containsExactly("460899847");
    // longer dash groups are something else
    assertThat(texts(r, "ref 2270-66-1551")).isEmpty();
  }

  @Test
  void ibanAcceptsGroupedAndLowerCaseButNotBadChecksums() {
    IbanRecognizer r = new IbanRecognizer();
    assertThat(texts(r, "from GB82 WEST 1234 5698 7654 32 to savings"))
        .containsExactly("GB82 WEST 1234 5698 7654 32");
    assertThat(texts(r, "iban gb42nawi04454264788619.")).containsExactly("gb42nawi04454264788619");
    assertThat(texts(r, "from GB83 WEST 1234 5698 7654 32 to savings")).isEmpty();
    assertThat(texts(r, "AB12CDEFGHIJKLMNOPQ")).isEmpty();
  }

  @Test
  void ipAddressesButNotVersionsDecimalsOrTimes() {
    IpAddressRecognizer r = new IpAddressRecognizer();
    assertThat(texts(r, "ssh to 106.31.73.20, then 2001:db8::8a2e:370:7334."))
        .containsExactly("106.31.73.20", "2001:db8::8a2e:370:7334");
    assertThat(texts(r, "loopback ::1 and fe80:0:0:0:202:b3ff:fe1e:8329"))
        .containsExactly("::1", "fe80:0:0:0:202:b3ff:fe1e:8329");
    assertThat(texts(r, "upgrade to version 1.2.3.4 today")).isEmpty();
    assertThat(texts(r, "released v2.10.0.1")).isEmpty();
    assertThat(texts(r, "256.1.1.1 and 1.2.3 and 10.0.0.01")).isEmpty();
    assertThat(texts(r, "at 12:30:45 in std::vector")).isEmpty();
    assertThat(texts(r, "phone 03.93.92.16.85")).isEmpty();
  }

  @Test
  void urlsAndDomainsButNotFileNames() {
    UrlRecognizer r = new UrlRecognizer();
    assertThat(texts(r, "Website:\nhttps://www.UEarly.se/\n"))
        .containsExactly("https://www.UEarly.se/");
    assertThat(texts(r, "see (https://example.org/a?b=1)."))
        .containsExactly("https://example.org/a?b=1");
    assertThat(texts(r, "on Amazon.com and www.shop.fr today"))
        .containsExactly("Amazon.com", "www.shop.fr");
    assertThat(texts(r, "open Main.java, setup.py, README.md and notes.txt")).isEmpty();
    assertThat(texts(r, "It was done.It worked")).isEmpty();
  }

  @Test
  void phoneFormatsFromManyCountries() {
    PhoneRecognizer r = new PhoneRecognizer();
    for (String p :
        List.of(
            "905-674-3793",
            "+41 (0)96 471 07 95",
            "(579)888-3058",
            "+447700 921 916",
            "345-899-3560x4587",
            "03.93.92.16.85",
            "0490 75 40 81",
            "+1-984-182-0190",
            "(08) 8747 6301")) {
      assertThat(texts(r, "Phone: " + p + "\n")).as(p).containsExactly(p);
    }
    assertThat(texts(r, "They're not answering at 99 668472")).containsExactly("99 668472");
  }

  @Test
  void phoneIgnoresDatesSsnsHouseNumbersAndFigures() {
    PhoneRecognizer r = new PhoneRecognizer();
    assertThat(texts(r, "Date: 1978-04-13 12:20:39")).isEmpty();
    assertThat(texts(r, "ssn 460-89-9847")).isEmpty();
    assertThat(texts(r, "She lives at 370 3911 Fourth Avenue")).isEmpty();
    assertThat(texts(r, "My driver's license number is 2270-66-1551")).isEmpty();
    assertThat(texts(r, "masses 238.0508 and 234.0437 amu")).isEmpty();
    assertThat(texts(r, "grid 1 1.10 1.22 1.31 1.35")).isEmpty();
    assertThat(texts(r, "Volume 1, 1837-1843: letters")).isEmpty();
    assertThat(texts(r, "ZIP: 75534-030")).isEmpty();
    assertThat(texts(r, "I have 3 apples")).isEmpty();
  }
}
