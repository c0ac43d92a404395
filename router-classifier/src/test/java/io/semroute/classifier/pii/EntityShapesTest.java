package io.semroute.classifier.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.semroute.classifier.TokenLabel;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntityShapesTest {

  private static List<String> refine(String text, String type, String covered) {
    int start = text.indexOf(covered);
    return EntityShapes.refine(text, type, start, start + covered.length()).stream()
        .map(p -> p.type() + ":" + text.substring(p.start(), p.end()))
        .toList();
  }

  @Test
  void personEndsBeforeTheNextLineAndBeforeAndAndLosesEdgePunctuation() {
    assertThat(refine("Zizi Kónya\nEnigmaio\n5850 Jana", "PERSON", "Zizi Kónya\nEnigmaio"))
        .containsExactly("PERSON:Zizi Kónya", "PERSON:Enigmaio");
    assertThat(refine("Marrero and Murphy were", "PERSON", "Marrero and Murphy"))
        .containsExactly("PERSON:Marrero", "PERSON:Murphy");
    assertThat(refine("here's Matej's address", "PERSON", "Matej'"))
        .containsExactly("PERSON:Matej");
    assertThat(refine("called Kenneth Harrison, and", "PERSON", "Kenneth Harrison,"))
        .containsExactly("PERSON:Kenneth Harrison");
    assertThat(refine("User: . Ann", "PERSON", ". Ann")).containsExactly("PERSON:Ann");
    // "and" inside a word is no separator
    assertThat(refine("Alexandra Anders", "PERSON", "Alexandra Anders"))
        .containsExactly("PERSON:Alexandra Anders");
  }

  @Test
  void honorificBecomesATitleOfItsOwn() {
    assertThat(refine("this is Dr. Kyle Kuefer. Who", "PERSON", "Dr. Kyle Kuefer."))
        .containsExactly("TITLE:Dr.", "PERSON:Kyle Kuefer");
    assertThat(refine("Mrs. Barbara Yudina Apt. 675", "PERSON", "Mrs. Barbara Yudina"))
        .containsExactly("TITLE:Mrs.", "PERSON:Barbara Yudina");
    assertThat(refine("with ms. Quinzia", "PERSON", "ms. Quinzia"))
        .containsExactly("TITLE:ms.", "PERSON:Quinzia");
    // a name that merely starts like an honorific keeps its letters
    assertThat(refine("Drew Mrsic", "PERSON", "Drew Mrsic")).containsExactly("PERSON:Drew Mrsic");
  }

  @Test
  void otherTypesKeepTrailingDotOrParenAndLoseOtherEdgePunctuation() {
    assertThat(
            refine("at 808 Kálmán Imre u. 12.\n Apt", "STREET_ADDRESS", "808 Kálmán Imre u. 12."))
        .containsExactly("STREET_ADDRESS:808 Kálmán Imre u. 12.");
    assertThat(refine("Nicosia\n Cyprus (Greek) 5", "GPE", "Cyprus (Greek)"))
        .containsExactly("GPE:Cyprus (Greek)");
    assertThat(refine("User: . Więckowskiego 28?", "STREET_ADDRESS", ". Więckowskiego 28?"))
        .containsExactly("STREET_ADDRESS:Więckowskiego 28");
    assertThat(refine("ZIP: 3520", "STREET_ADDRESS", ":")).isEmpty();
  }

  @Test
  void servingDecoderJoinsSeparatedWordsForNamesButNotForAddressParts() {
    String text = "Ann Lee 28030 Edeby 55";
    List<TokenLabel> tokens =
        List.of(
            new TokenLabel("ann", "B-PERSON", 0.9f, 0, 3),
            new TokenLabel("lee", "B-PERSON", 0.9f, 4, 7),
            new TokenLabel("28030", "B-STREET_ADDRESS", 0.9f, 8, 13),
            new TokenLabel("ed", "B-STREET_ADDRESS", 0.9f, 14, 16),
            new TokenLabel("##eby", "I-STREET_ADDRESS", 0.9f, 16, 19),
            new TokenLabel("55", "I-STREET_ADDRESS", 0.9f, 20, 22));
    assertThat(new ModelEntityDecoder(Set.of(), 0.5).decode(text, tokens))
        .extracting(PiiEntity::text)
        .containsExactly("Ann Lee", "28030", "Edeby 55");
    assertThat(new ModelEntityDecoder(Set.of(), 0.5, true).decode(text, tokens))
        .extracting(PiiEntity::text)
        .containsExactly("Ann Lee", "28030 Edeby 55");
  }
}
