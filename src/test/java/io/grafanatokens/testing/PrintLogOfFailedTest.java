package io.grafanatokens.testing;

import java.io.PrintStream;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Registered for every test (junit-platform.properties, META-INF/services): a failed test prints
 * the log lines written while it ran, its set-up and tear-down included; a passing one prints
 * nothing. Surefire shows the output under the failure and in target/surefire-reports.
 */
public final class PrintLogOfFailedTest implements BeforeEachCallback, TestWatcher {
  @Override
  public void beforeEach(ExtensionContext context) {
    FailedTestLog.clear();
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    print(context, System.out);
  }

  @Override
  public void testSuccessful(ExtensionContext context) {
    FailedTestLog.clear();
  }

  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    FailedTestLog.clear();
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    FailedTestLog.clear();
  }

  static void print(ExtensionContext context, PrintStream out) {
    FailedTestLog.Snapshot log = FailedTestLog.snapshot();
    StringBuilder b = new StringBuilder();
    b.append("---- log of failed test ")
        .append(context.getDisplayName())
        .append(" (")
        .append(context.getRequiredTestClass().getName())
        .append("): ")
        .append(log.lines().size())
        .append(" lines");
    if (log.dropped() > 0) {
      b.append(", the first ").append(log.dropped()).append(" dropped");
    }
    b.append(" ----\n");
    log.lines().forEach(b::append);
    b.append("---- end of log of ").append(context.getDisplayName()).append(" ----\n");
    out.print(b);
    out.flush();
    FailedTestLog.clear();
  }
}
