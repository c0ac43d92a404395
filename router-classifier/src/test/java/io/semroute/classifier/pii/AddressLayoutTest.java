package io.semroute.classifier.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AddressLayoutTest {

  private static PiiEntity e(String text, String type, String covered) {
    int start = text.indexOf(covered);
    return PiiEntity.of(text, type, start, start + covered.length(), 0.9, PiiEntity.Origin.MODEL);
  }

  private static List<String> apply(String text, PiiEntity... in) {
    List<String> out = new ArrayList<>();
    for (PiiEntity x : AddressLayout.apply(text, List.of(in))) {
      out.add(x.type() + ":" + x.text());
    }
    return out;
  }

  @Test
  void anAddressReadAcrossLinesBecomesOneWholeAddress() {
    String text =
        "The address of Persint is 6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677";
    assertThat(
            apply(
                text,
                e(text, "ORGANIZATION", "Persint"),
                e(text, "STREET_ADDRESS", "6750 Koskikatu 25 Apt. 864"),
                e(text, "STREET_ADDRESS", "Artilleros\n, CO\n Uruguay 64677")))
        .containsExactly(
            "ORGANIZATION:Persint",
            "STREET_ADDRESS:6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677");
    String cut = "It's in 0269 Stensås terrasse 38\n Suite 621\n ARENDAL\n Norway";
    assertThat(
            apply(
                cut,
                e(cut, "STREET_ADDRESS", "0269 Stensås terrasse 38\n Suite 621"),
                e(cut, "GPE", "ARENDAL"),
                e(cut, "GPE", "Norway")))
        .containsExactly("STREET_ADDRESS:0269 Stensås terrasse 38\n Suite 621\n ARENDAL\n Norway");
  }

  @Test
  void partsStayPartsAndTheBuildingNumberIsSplitFromTheStreet() {
    String text = "Tomomi Nishiyama lives at 86036 Rua do Arenque 1634, Goiânia";
    assertThat(
            apply(
                text,
                e(text, "PERSON", "Tomomi Nishiyama"),
                e(text, "STREET_ADDRESS", "86036 Rua do Arenque 1634"),
                e(text, "GPE", "Goiânia")))
        .containsExactly(
            "PERSON:Tomomi Nishiyama",
            "STREET_ADDRESS:86036",
            "STREET_ADDRESS:Rua do Arenque 1634",
            "GPE:Goiânia");
    String digits = "Call 17151 2450 Crown St";
    assertThat(apply(digits, e(digits, "STREET_ADDRESS", "17151 2450 Crown St")))
        .containsExactly("STREET_ADDRESS:17151", "STREET_ADDRESS:2450 Crown St");
    // numbers alone are no address ("7,000" in a maths question); with a street they are
    String sum = "Liam's trip costs $7,000 and he saved 3,500";
    assertThat(apply(sum, e(sum, "STREET_ADDRESS", "7,000"), e(sum, "STREET_ADDRESS", "3,500")))
        .isEmpty();
    String steps = "On Wednesday he walked 9,200 steps at 720 torr";
    assertThat(
            apply(
                steps,
                e(steps, "STREET_ADDRESS", "9,200 steps"),
                e(steps, "STREET_ADDRESS", "720 torr")))
        .isEmpty();
  }

  @Test
  void entitiesWithWordsBetweenAreNotOneAddress() {
    // every street in the data carries a number, so "12 Main St" is a street, not number + street
    String text = "from 12 Main St to Lyon, France";
    assertThat(apply(text, e(text, "STREET_ADDRESS", "12 Main St"), e(text, "GPE", "Lyon, France")))
        .containsExactly("STREET_ADDRESS:12 Main St", "GPE:Lyon, France");
  }

  @Test
  void aSpelledOutLetterHeadAddressIsCutIntoItsLabelledParts() {
    String text = "Philippe Guernon\n\n0104 Hafnarstraeti 5\n Suite 179\n Akureyri\n Iceland 80296";
    // the model read the whole block as one address: the layout, not the model, says it is parts
    assertThat(
            apply(
                text,
                e(text, "PERSON", "Philippe Guernon"),
                e(
                    text,
                    "STREET_ADDRESS",
                    "0104 Hafnarstraeti 5\n Suite 179\n Akureyri\n Iceland 80296")))
        .containsExactly(
            "PERSON:Philippe Guernon",
            "STREET_ADDRESS:0104",
            "STREET_ADDRESS:Hafnarstraeti 5",
            "STREET_ADDRESS:Suite 179",
            "GPE:Akureyri",
            "GPE:Iceland",
            "STREET_ADDRESS:80296");
    // US layout: secondary unit first, then city, state and a zipcode
    String us = "Mrs. Barbara Yudina Apt. 675 62314 Mellemvej 32\nAalborg NO 9100";
    assertThat(
            apply(
                us,
                e(us, "STREET_ADDRESS", "Apt. 675 62314 Mellemvej 32"),
                e(us, "GPE", "Aalborg NO 9100")))
        .containsExactly(
            "STREET_ADDRESS:Apt. 675",
            "STREET_ADDRESS:62314",
            "STREET_ADDRESS:Mellemvej 32",
            "GPE:Aalborg",
            "GPE:NO",
            "ZIP_CODE:9100");
  }

  @Test
  void theSameLayoutMidSentenceIsOneWholeAddress() {
    String text =
        "can you please send a new one to 1987 74 Diakou Street\n Suite 680\n Kissousa\n Cyprus 36903";
    assertThat(
            apply(
                text,
                e(text, "STREET_ADDRESS", "1987"),
                e(text, "STREET_ADDRESS", "74 Diakou Street\n Suite 680"),
                e(text, "GPE", "Kissousa"),
                e(text, "GPE", "Cyprus"),
                e(text, "STREET_ADDRESS", "36903")))
        .containsExactly(
            "STREET_ADDRESS:1987 74 Diakou Street\n Suite 680\n Kissousa\n Cyprus 36903");
    String oneLine = "Meet me at 8514 Lyngveien 46 Apt. 085 BODØ nan";
    assertThat(
            apply(
                oneLine,
                e(oneLine, "STREET_ADDRESS", "8514"),
                e(oneLine, "STREET_ADDRESS", "Lyngveien 46 Apt. 085 BODØ nan")))
        .containsExactly("STREET_ADDRESS:8514 Lyngveien 46 Apt. 085 BODØ nan");
  }

  @Test
  void aCityTheModelMissedStaysInsideItsAddress() {
    String text =
        "??? Lawdragon\n??? 66029 138 Consul Place\n??? Apt. 050\n??? Broomfield\n??? New Zealand 57006";
    assertThat(
            apply(
                text,
                e(text, "ORGANIZATION", "Lawdragon"),
                e(text, "STREET_ADDRESS", "66029 138 Consul Place"),
                e(text, "STREET_ADDRESS", "Apt. 050"),
                e(text, "STREET_ADDRESS", "New Zealand 57006")))
        .containsExactly(
            "ORGANIZATION:Lawdragon",
            "STREET_ADDRESS:66029",
            "STREET_ADDRESS:138 Consul Place",
            "STREET_ADDRESS:Apt. 050",
            "GPE:Broomfield",
            "GPE:New Zealand",
            "STREET_ADDRESS:57006");
  }

  @Test
  void edgesAreCutToWhatAnAddressHolds() {
    String sentence = "It is at PSC 0729, Box 5797\nAPO AP 96854. It serves great food.";
    assertThat(
            apply(sentence, e(sentence, "STREET_ADDRESS", "PSC 0729, Box 5797\nAPO AP 96854. It")))
        .containsExactly("STREET_ADDRESS:PSC 0729, Box 5797\nAPO AP 96854");
    String org = "We'll meet Monday at Corelogic, 0896 69 Farnell Street, LOOMBAH";
    assertThat(apply(org, e(org, "STREET_ADDRESS", "Corelogic, 0896 69 Farnell Street, LOOMBAH")))
        .containsExactly("STREET_ADDRESS:0896", "STREET_ADDRESS:69 Farnell Street", "GPE:LOOMBAH");
    String label = "Unit 5022 Box 1225\nDPO AE 44085\nMobile: 0688 843 79 56";
    assertThat(apply(label, e(label, "STREET_ADDRESS", "Unit 5022 Box 1225\nDPO AE 44085\nMobile")))
        .containsExactly("STREET_ADDRESS:Unit 5022 Box 1225\nDPO AE 44085");
    String two =
        "here they are: 7 Ránargata 87, Tallinn, Estonia 02151, and the corner of Postbox 21 and Elisabeth Parks";
    assertThat(
            apply(
                two,
                e(
                    two,
                    "STREET_ADDRESS",
                    "7 Ránargata 87, Tallinn, Estonia 02151, and the corner of Postbox 21 and Elisabeth Parks")))
        .containsExactly(
            "STREET_ADDRESS:7 Ránargata 87, Tallinn, Estonia 02151",
            "STREET_ADDRESS:the corner of Postbox 21 and Elisabeth Parks");
    String street = "The bus drops you off at 07576 Magasinsgatan 7 St.";
    assertThat(apply(street, e(street, "STREET_ADDRESS", "07576 Magasinsgatan 7 St.")))
        .containsExactly("STREET_ADDRESS:07576", "STREET_ADDRESS:Magasinsgatan 7");
    String hungarian = "The Propublica office is at Király u. 15.";
    assertThat(apply(hungarian, e(hungarian, "STREET_ADDRESS", "Király u. 15.")))
        .containsExactly("STREET_ADDRESS:Király u. 15.");
  }

  @Test
  void aLoneWordWithoutANumberIsAPlaceOrNothing() {
    String text = "I DON'T KNOW WHAT TO PRESS at the center of Tunisia";
    assertThat(
            apply(
                text,
                e(text, "STREET_ADDRESS", "PRESS"),
                e(text, "STREET_ADDRESS", "center"),
                e(text, "STREET_ADDRESS", "Tunisia")))
        .containsExactly("GPE:PRESS", "GPE:Tunisia");
  }

  @Test
  void anyTextAndAnyPiecesGiveSpansInsideWhatTheModelFound() {
    // seeded random texts of address-ish characters with random non-overlapping pieces: the
    // rules must never throw, and may only cut or relabel inside the pieces' extent
    Random random = new Random(7);
    String alphabet = "ab AZ09,.\n>?:-";
    for (int n = 0; n < 5000; n++) {
      StringBuilder sb = new StringBuilder();
      int len = 1 + random.nextInt(60);
      for (int k = 0; k < len; k++) {
        sb.append(
            random.nextInt(4) == 0
                ? "Apt. 12 "
                : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
      }
      String text = sb.toString();
      List<PiiEntity> in = new ArrayList<>();
      int at = 0;
      while (at < text.length() - 1 && in.size() < 5) {
        int start = at + random.nextInt(Math.max(1, (text.length() - at) / 2));
        int end = Math.min(text.length(), start + 1 + random.nextInt(12));
        if (start >= end) {
          break;
        }
        String type = List.of("STREET_ADDRESS", "GPE", "ZIP_CODE", "PERSON").get(random.nextInt(4));
        in.add(PiiEntity.of(text, type, start, end, 0.9, PiiEntity.Origin.MODEL));
        at = end;
      }
      if (in.isEmpty()) {
        continue;
      }
      int lo = in.get(0).start();
      int hi = in.get(in.size() - 1).end();
      for (PiiEntity out : AddressLayout.apply(text, in)) {
        assertThat(out.start()).as(text).isGreaterThanOrEqualTo(lo);
        assertThat(out.end()).as(text).isLessThanOrEqualTo(hi);
        assertThat(out.text()).isEqualTo(text.substring(out.start(), out.end()));
      }
    }
  }

  @Test
  void userWrittenAddressesKeepTheirStreet() {
    String roma = "Send it to Via Roma, 10 please";
    assertThat(apply(roma, e(roma, "STREET_ADDRESS", "Via Roma, 10")))
        .containsExactly("STREET_ADDRESS:Via Roma, 10");
    String flat = "I moved to Flat B, 10 High St";
    assertThat(apply(flat, e(flat, "STREET_ADDRESS", "Flat B, 10 High St")))
        .extracting(x -> x.substring(x.indexOf(':') + 1))
        .contains("Flat B");
    String lower = "Hi, I live at 12 main street now";
    assertThat(apply(lower, e(lower, "STREET_ADDRESS", "12 main street")))
        .containsExactly("STREET_ADDRESS:12 main street");
    String noNumber = "Hi, i live on baker street";
    assertThat(apply(noNumber, e(noNumber, "STREET_ADDRESS", "baker street")))
        .containsExactly("STREET_ADDRESS:baker street");
    String captain = "Capt. Cook lives at 5 Main St";
    assertThat(apply(captain, e(captain, "STREET_ADDRESS", "5 Main St")))
        .containsExactly("STREET_ADDRESS:5 Main St");
  }

  @Test
  void blankLinesEndAnAddressAndSeparatorsAloneAreNone() {
    String text = "5 Main St\n\n\n\nLondon is nice";
    assertThat(apply(text, e(text, "STREET_ADDRESS", "5 Main St"), e(text, "GPE", "London")))
        .containsExactly("STREET_ADDRESS:5 Main St", "GPE:London");
    String marks = "x?,y";
    assertThat(apply(marks, e(marks, "STREET_ADDRESS", "?"), e(marks, "GPE", ","))).isEmpty();
  }
}
