package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.SecretTemplate;
import io.grafanatokens.testing.ApiServerDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/reference.md#delete: "a delete is acted on within seconds, also when it lands while a pass
 * is running". JOSDK 5.3.2 drops an event that lands while its own status patch is in flight
 * (docs/development.md); the reconciler writes status itself and looks at the answer.
 */
class DeleteDuringStatusWriteTest extends LifecycleTestBase {
  private static final int ROUNDS = 30;
  private static final Duration FEW_SECONDS = Duration.ofSeconds(4);

  @Test
  void aDeleteLandingWhileTheStatusIsWrittenIsActedOnWithinSeconds() {
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      String name = "race-" + i;
      GrafanaServiceAccountToken r = token(name);
      r.getSpec().setTokenName("race" + i);
      apply(r);
      awaitReady(name, "Issued");
      // the next status write of this resource waits in flight until its delete has landed
      cluster
          .api()
          .beforeNext(
              ApiServerDispatcher.on("patch", "grafanaserviceaccounttokens/status"),
              "/" + name + "/",
              () ->
                  cluster
                      .api()
                      .deleteNow(
                          "/apis/grafanatokens.io/v1alpha1/namespaces/"
                              + NS
                              + "/grafanaserviceaccounttokens/"
                              + name));
      // a spec edit: the pass that follows writes status (observedGeneration moves)
      edit(
          name,
          x -> {
            SecretTemplate st = new SecretTemplate();
            st.setLabels(Map.of("round", String.valueOf(System.nanoTime() % 1000)));
            x.getSpec().setSecret(st);
            return x;
          });
      long start = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> get(name) == null);
      millis.add((System.nanoTime() - start) / 1_000_000);
    }
    assertThat(millis)
        .as("ms from the delete to the finalizer's release, each round")
        .allSatisfy(ms -> assertThat(ms).isLessThan(FEW_SECONDS.toMillis()));
    assertThat(liveTokens()).isEmpty();
  }
}
