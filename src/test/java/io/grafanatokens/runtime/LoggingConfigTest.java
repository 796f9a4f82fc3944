package io.grafanatokens.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped logback.xml: LOG_FORMAT=json gives one JSON object a line; wire loggers stay at INFO.
 */
@SuppressWarnings("unchecked")
class LoggingConfigTest {

  private LoggerContext configured(String format, String level) throws Exception {
    LoggerContext ctx = new LoggerContext();
    ctx.putProperty("LOG_FORMAT", format);
    ctx.putProperty("LOG_LEVEL", level);
    JoranConfigurator c = new JoranConfigurator();
    c.setContext(ctx);
    c.doConfigure(getClass().getResource("/logback.xml"));
    return ctx;
  }

  private static JsonNode encode(LoggerContext ctx, LoggingEvent event) throws Exception {
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    OutputStreamAppender<ILoggingEvent> appender =
        (OutputStreamAppender<ILoggingEvent>) root.getAppender("json");
    assertThat(appender).as("LOG_FORMAT=json selects the json appender").isNotNull();
    assertThat(root.getAppender("text")).isNull();
    String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
    assertThat(line).endsWith("\n");
    assertThat(line.trim()).as("one line").doesNotContain("\n");
    return new ObjectMapper().readTree(line);
  }

  @Test
  void jsonFormatWritesTheFormattedMessageAndTheResourceContext() throws Exception {
    LoggerContext ctx = configured("json", "INFO");
    try {
      LoggingEvent event =
          new LoggingEvent(
              Logger.class.getName(),
              ctx.getLogger("io.grafanatokens.reconcile.X"),
              Level.INFO,
              "issued token {} in Secret {}",
              null,
              new Object[] {"x-1", "dashboards-ci"});
      event.setMDCPropertyMap(Map.of("namespace", "team-a", "name", "dashboards-ci"));
      event.setTimeStamp(Instant.parse("2026-11-22T10:15:00.123Z").toEpochMilli());
      JsonNode json = encode(ctx, event);
      // what log stores show: the text, not the {} pattern
      assertThat(json.path("message").asText())
          .isEqualTo("issued token x-1 in Secret dashboards-ci");
      assertThat(json.toString()).doesNotContain("{}");
      assertThat(json.path("level").asText()).isEqualTo("INFO");
      assertThat(json.path("loggerName").asText()).isEqualTo("io.grafanatokens.reconcile.X");
      assertThat(json.path("timestamp").asText()).isEqualTo("2026-11-22T10:15:00.123Z");
      assertThat(json.path("mdc").path("namespace").asText()).isEqualTo("team-a");
      assertThat(json.path("mdc").path("name").asText()).isEqualTo("dashboards-ci");
      assertThat(json.has("stackTrace")).isFalse();
    } finally {
      ctx.stop();
    }
  }

  @Test
  void jsonFormatKeepsAStackTraceInsideTheOneLine() throws Exception {
    LoggerContext ctx = configured("json", "INFO");
    try {
      LoggingEvent event =
          new LoggingEvent(
              Logger.class.getName(),
              ctx.getLogger("io.grafanatokens.runtime.X"),
              Level.WARN,
              "failed: {}",
              new IllegalStateException("boom"),
              new Object[] {"reason"});
      event.setMDCPropertyMap(Map.of()); // a bare LoggerContext has no MDC adapter to read it from
      JsonNode json = encode(ctx, event);
      assertThat(json.path("message").asText()).isEqualTo("failed: reason");
      assertThat(json.path("stackTrace").asText())
          .startsWith("java.lang.IllegalStateException: boom");
    } finally {
      ctx.stop();
    }
  }

  @Test
  void httpWireLoggersAreCappedAtInfoWhateverLevelIsConfigured() throws Exception {
    LoggerContext ctx = configured("text", "TRACE");
    try {
      assertThat(ctx.getLogger("io.grafanatokens").isTraceEnabled()).isTrue();
      for (String wire :
          new String[] {
            "io.fabric8.kubernetes.client.http",
            "jdk.httpclient",
            "software.amazon.awssdk.request",
            "org.apache.http.wire"
          }) {
        assertThat(ctx.getLogger(wire).isDebugEnabled()).as(wire).isFalse();
        assertThat(ctx.getLogger(wire + ".sub").isDebugEnabled()).as(wire + ".sub").isFalse();
      }
    } finally {
      ctx.stop();
    }
  }
}
