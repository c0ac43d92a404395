package io.semroute.classifier.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
    String text = "The address of Persint is 6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677";
    assertThat(apply(text, e(text, "ORGANIZATION", "Persint"), e(text, "STREET_ADDRESS", "6750 Koskikatu 25 Apt. 864"),
        e(text, "STREET_ADDRESS", "Artilleros\n, CO\n Uruguay 64677")))
        .containsExactly("ORGANIZATION:Persint", "STREET_ADDRESS:6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677");
    String cut = "It's in 0269 Stensås terrasse 38\n Suite 621\n ARENDAL\n Norway";
    assertThat(apply(cut, e(cut, "STREET_ADDRESS", "0269 Stensås terrasse 38\n Suite 621"), e(cut, "GPE", "ARENDAL"),
        e(cut, "GPE", "Norway")))
        .containsExactly("STREET_ADDRESS:0269 Stensås terrasse 38\n Suite 621\n ARENDAL\n Norway");
  }

  @Test
  void partsStayPartsAndTheBuildingNumberIsSplitFromTheStreet() {
    String text = "Tomomi Nishiyama lives at 86036 Rua do Arenque 1634, Goiânia";
    assertThat(apply(text, e(text, "PERSON", "Tomomi Nishiyama"), e(text, "STREET_ADDRESS", "86036 Rua do Arenque 1634"),
        e(text, "GPE", "Goiânia")))
        .containsExactly("PERSON:Tomomi Nishiyama", "STREET_ADDRESS:86036", "STREET_ADDRESS:Rua do Arenque 1634", "GPE:Goiânia");
    String digits = "Call 17151 2450 Crown St";
    assertThat(apply(digits, e(digits, "STREET_ADDRESS", "17151 2450 Crown St")))
        .containsExactly("STREET_ADDRESS:17151", "STREET_ADDRESS:2450 Crown St");
    // a number alone, or followed by another number only, is left as it is
    String box = "Box 17151 2450";
    assertThat(apply(box, e(box, "STREET_ADDRESS", "17151 2450"))).containsExactly("STREET_ADDRESS:17151 2450");
  }

  @Test
  void entitiesWithWordsBetweenAreNotOneAddress() {
    String text = "from 12 Main St to Lyon, France";
    assertThat(apply(text, e(text, "STREET_ADDRESS", "12 Main St"), e(text, "GPE", "Lyon, France")))
        .containsExactly("STREET_ADDRESS:12", "STREET_ADDRESS:Main St", "GPE:Lyon, France");
  }
}
