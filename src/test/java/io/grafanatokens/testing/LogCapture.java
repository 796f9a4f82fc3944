package io.grafanatokens.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Captures every log line (message and throwable text) of the JVM while installed. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  /** One captured event: enough to tell a clean one-line message from a stack trace. */
  public record Event(String level, String logger, String message, boolean hasThrowable) {}

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<Event> events = new CopyOnWriteArrayList<>();

  public static LogCapture install() {
    LogCapture c = new LogCapture();
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    c.setContext(ctx);
    c.start();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(c);
    return c;
  }

  @Override
  protected void append(ILoggingEvent e) {
    StringBuilder b = new StringBuilder(e.getFormattedMessage());
    for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
      b.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    lines.add(b.toString());
    events.add(
        new Event(
            e.getLevel().toString(),
            e.getLoggerName(),
            e.getFormattedMessage(),
            e.getThrowableProxy() != null));
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
    stop();
  }
}
