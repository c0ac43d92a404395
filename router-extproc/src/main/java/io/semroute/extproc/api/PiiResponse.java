package io.semroute.extproc.api;

import java.util.List;

/** {@code POST /api/v1/classify/pii}: the PII entities found, with their text. */
record PiiResponse(boolean hasPii, List<Entity> entities, double processingTimeMs)
    implements ClassifyResult {

  /**
   * @param startPosition UTF-16 offset of the entity in the text
   * @param endPosition UTF-16 offset just past it
   */
  record Entity(String type, String value, double confidence, int startPosition, int endPosition) {}
}
