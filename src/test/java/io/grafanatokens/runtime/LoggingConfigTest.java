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
import org.junit.jupiter.api.Test;
import java.util.Map;

/** The shipped logback.xml: LOG_FORMAT=json gives one JSON object a line; wire loggers stay at INFO. */
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

  @Test
  void jsonFormatWritesOneObjectPerLineWithNamespaceAndName() throws Exception {
    LoggerContext ctx = configured("json", "INFO");
    try {
      Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      OutputStreamAppender<ILoggingEvent> appender = (OutputStreamAppender<ILoggingEvent>) root.getAppender("json");
      assertThat(appender).as("LOG_FORMAT=json selects the json appender").isNotNull();
      assertThat(root.getAppender("text")).isNull();
      LoggingEvent event = new LoggingEvent(Logger.class.getName(), ctx.getLogger("io.grafanatokens.reconcile.X"),
          Level.INFO, "issued token {}", null, new Object[] {"x-1"});
      event.setMDCPropertyMap(Map.of("namespace", "team-a", "name", "dashboards-ci"));
      String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
      assertThat(line).endsWith("\n");
      assertThat(line.trim()).doesNotContain("\n");
      JsonNode json = new ObjectMapper().readTree(line);
      assertThat(json.path("level").asText()).isEqualTo("INFO");
      assertThat(json.path("formattedMessage").asText()).isEqualTo("issued token x-1");
      assertThat(json.path("mdc").path("namespace").asText()).isEqualTo("team-a");
      assertThat(json.path("mdc").path("name").asText()).isEqualTo("dashboards-ci");
    } finally {
      ctx.stop();
    }
  }

  @Test
  void httpWireLoggersAreCappedAtInfoWhateverLevelIsConfigured() throws Exception {
    LoggerContext ctx = configured("text", "TRACE");
    try {
      assertThat(ctx.getLogger("io.grafanatokens").isTraceEnabled()).isTrue();
      for (String wire : new String[] {"io.fabric8.kubernetes.client.http", "jdk.httpclient",
          "software.amazon.awssdk.request", "org.apache.http.wire"}) {
        assertThat(ctx.getLogger(wire).isDebugEnabled()).as(wire).isFalse();
        assertThat(ctx.getLogger(wire + ".sub").isDebugEnabled()).as(wire + ".sub").isFalse();
      }
    } finally {
      ctx.stop();
    }
  }
}
