package io.semroute.classifier.pii;

import java.util.List;

/** Finds one kind of structured personal data in text without any model. */
public interface PiiRecognizer {

  /** The entity type this recognizer emits (Presidio label, e.g. {@code EMAIL_ADDRESS}). */
  String type();

  /** All matches in {@code text}, in any order; may overlap each other. */
  List<PiiEntity> find(String text);
}
