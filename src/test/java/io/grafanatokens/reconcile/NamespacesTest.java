package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.testing.ApiServerDispatcher;
import io.grafanatokens.testing.ApiServerDispatcher.FaultMode;
import io.grafanatokens.testing.Resources;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whether a namespace is terminating, where Namespaces may be watched and where they may not. */
class NamespacesTest {
  private final PassHarness h = new PassHarness();

  @AfterEach
  void close() {
    h.close();
  }

  private long namespaceReads() {
    return h.api.calls().stream().filter(c -> c.resource().equals("namespaces")).count();
  }

  @Test
  void aRefusedReadIsAskedAgainLaterNotRememberedForever() {
    Namespaces namespaces = new Namespaces(h.client, h.clock);
    h.api.failNext(
        ApiServerDispatcher.on("get", "namespaces"),
        FaultMode.REFUSE,
        403,
        "namespaces is forbidden",
        1);
    assertThat(namespaces.terminating("team-a")).isFalse();
    assertThat(namespaces.unreadable("team-a")).isTrue();
    Resources.markTerminating(h.client, "team-a");
    h.advance(Duration.ofMinutes(1));
    assertThat(namespaces.terminating("team-a")).as("not asked again at once").isFalse();
    h.advance(Duration.ofMinutes(5));
    assertThat(namespaces.terminating("team-a")).as("asked again after a while").isTrue();
  }

  @Test
  void aWatchAnswersWithoutAReadPerQuestion() {
    Namespaces namespaces = new Namespaces(h.client, h.clock);
    assertThat(namespaces.watchAll()).isTrue();
    long before = namespaceReads();
    for (int i = 0; i < 50; i++) {
      assertThat(namespaces.terminating("team-a")).isFalse();
    }
    assertThat(namespaceReads()).isEqualTo(before);
    namespaces.close();
  }

  @Test
  void a403BeingTerminatedOnAnyWriteMarksTheNamespace() {
    Namespaces namespaces = new Namespaces(h.client, h.clock);
    namespaces.sawTerminating("team-a");
    assertThat(namespaces.terminating("team-a")).isTrue();
  }

  @Test
  void aNamespaceSeenTerminatingIsCheckedAgainWithinTwoMinutesForOneOfTheSameNameCreatedAgain() {
    Namespaces namespaces = new Namespaces(h.client, h.clock);
    namespaces.sawTerminating("team-a");
    h.advance(Duration.ofSeconds(90));
    assertThat(namespaces.terminating("team-a")).isTrue();
    // the namespace went and one of the same name was created: a GET now finds it alive
    h.advance(Duration.ofSeconds(31));
    assertThat(namespaces.terminating("team-a")).as("looked at again").isFalse();
  }
}
