package io.semroute.app.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import io.semroute.extproc.pipeline.DecisionLogStage;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Points the decision log (one JSON line per request on stdout in {@code serve}) where the
 * benchmark wants it: on stdout it would bury the tables under thousands of lines.
 */
final class DecisionLogs {

  private DecisionLogs() {}

  static void apply(EndToEndBench.DecisionLog mode) {
    if (mode == EndToEndBench.DecisionLog.STDOUT
        || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger logger = context.getLogger(DecisionLogStage.LOGGER);
    if (mode == EndToEndBench.DecisionLog.OFF) {
      logger.setLevel(Level.OFF);
      return;
    }
    // DISCARD: the lines are still built and encoded (their cost counts), then dropped.
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> sink = new OutputStreamAppender<>();
    sink.setContext(context);
    sink.setName("bench-discard");
    sink.setEncoder(encoder);
    sink.setOutputStream(OutputStream.nullOutputStream());
    sink.start();
    // Detached, not stopped: the console appender's stream is System.out itself.
    List<Appender<ILoggingEvent>> attached = new ArrayList<>();
    logger.iteratorForAppenders().forEachRemaining(attached::add);
    attached.forEach(logger::detachAppender);
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    logger.addAppender(sink);
  }
}
