package io.grafanatokens.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.slf4j.LoggerFactory;

/**
 * logback-test.xml and PrintLogOfFailedTest: quiet when green, the log when red, DEBUG still
 * captured.
 */
class TestLoggingTest {
  private static final String EXAMPLE = "grafanatokens.printLogExample";

  @Test
  void logCaptureSeesTheOperatorsDebugLines() {
    try (LogCapture logs = LogCapture.install()) {
      LoggerFactory.getLogger("io.grafanatokens.reconcile.Example").debug("probe {}", 42);
      assertThat(logs.lines()).contains("probe 42");
    }
  }

  @Test
  void testsLogToTheFailedTestBufferAndNotToTheConsole() {
    Logger root =
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getAppender("failed-test-log")).isInstanceOf(FailedTestLog.class);
    assertThat(root.iteratorForAppenders())
        .toIterable()
        .noneMatch(a -> a instanceof ch.qos.logback.core.ConsoleAppender);
  }

  @Test
  void aFailedTestPrintsItsLogAndAPassingOneDoesNot() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream console = System.out;
    EngineExecutionResults results;
    System.setProperty(EXAMPLE, "true");
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      results =
          EngineTestKit.engine("junit-jupiter")
              .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
              .selectors(selectClass(Example.class))
              .execute();
    } finally {
      System.setOut(console);
      System.clearProperty(EXAMPLE);
    }
    results.testEvents().assertStatistics(s -> s.started(2).succeeded(1).failed(1));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .contains("---- log of failed test fails() (" + Example.class.getName() + ")")
        .contains("DEBUG")
        .contains("only a failure shows this")
        .contains("java.lang.IllegalStateException: with a stack trace")
        .contains("---- end of log of fails() ----")
        .doesNotContain("a passing test shows nothing");
  }

  /** Run only by the test above (surefire skips nested classes; the property guards IDE runs). */
  @EnabledIfSystemProperty(named = EXAMPLE, matches = "true")
  static class Example {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("io.grafanatokens.Example");

    @Test
    void passes() {
      LOG.info("a passing test shows nothing");
    }

    @Test
    void fails() {
      LOG.debug("only a failure shows this");
      LOG.warn("and its exceptions", new IllegalStateException("with a stack trace"));
      fail("on purpose");
    }
  }
}
