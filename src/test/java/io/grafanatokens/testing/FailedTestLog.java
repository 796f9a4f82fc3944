package io.grafanatokens.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.Layout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The log of the running test, kept in memory (logback-test.xml sends every event here instead of
 * the console) until {@link PrintLogOfFailedTest} prints it for a failed test or drops it.
 */
public final class FailedTestLog extends AppenderBase<ILoggingEvent> {
  /** The last lines only: a test that loops on an error must not exhaust the heap. */
  static final int MAX_LINES = 5_000;

  private static final Deque<String> LINES = new ArrayDeque<>();
  private static int dropped;

  private Layout<ILoggingEvent> layout;

  public void setLayout(Layout<ILoggingEvent> layout) {
    this.layout = layout;
  }

  @Override
  protected void append(ILoggingEvent event) {
    String line = layout == null ? event.getFormattedMessage() + "\n" : layout.doLayout(event);
    synchronized (LINES) {
      if (LINES.size() == MAX_LINES) {
        LINES.removeFirst();
        dropped++;
      }
      LINES.addLast(line);
    }
  }

  /** Forgets what was logged so far: a new test starts. */
  static void clear() {
    synchronized (LINES) {
      LINES.clear();
      dropped = 0;
    }
  }

  /** What was logged since the last {@link #clear()}, oldest first, and how many lines fell off. */
  static Snapshot snapshot() {
    synchronized (LINES) {
      return new Snapshot(new ArrayList<>(LINES), dropped);
    }
  }

  record Snapshot(List<String> lines, int dropped) {}
}
