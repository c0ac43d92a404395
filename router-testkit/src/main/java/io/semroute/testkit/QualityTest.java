package io.semroute.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test over the large labelled corpora in {@code ../shared/data} (routing and guard quality, data
 * assembly). Left out of {@code ./mvnw verify}, which must pass on a clone alone; run with {@code
 * ./mvnw verify -Pquality}, which first checks that {@code ../shared/data} is there.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(QualityTest.TAG)
public @interface QualityTest {
  String TAG = "quality";
}
