package io.grafanatokens.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grafanatokens.testing.ApiServerDispatcher.Call;
import io.grafanatokens.testing.EmbeddedCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark is not part of the suite; these pin the pieces of its harness whose failure would
 * not show as an error but as wrong figures: the operator's flags and limits taken from the
 * Deployment, and objects preloaded into the mock behaving like created ones.
 */
class BenchHarnessTest {

  @Test
  void limitsBecomeTheJvmFlagsAContainerWouldImplyAndOnlyPlainEnvIsKept(@TempDir Path dir)
      throws Exception {
    Path yaml = dir.resolve("deployment.yaml");
    Files.writeString(
        yaml,
        String.join(
            "\n",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata: {name: x}",
            "spec:",
            "  template:",
            "    spec:",
            "      containers:",
            "        - name: sidecar",
            "          image: s",
            "        - name: operator",
            "          image: o",
            "          env:",
            "            - {name: JAVA_TOOL_OPTIONS, value: \"-XX:+UseSerialGC\"}",
            "            - name: OPERATOR_NAMESPACE",
            "              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}",
            "          resources:",
            "            limits: {cpu: 1500m, memory: 768Mi}",
            ""));

    DeploymentFlags flags = DeploymentFlags.read(yaml);

    assertThat(flags.env()).containsExactly(Map.entry("JAVA_TOOL_OPTIONS", "-XX:+UseSerialGC"));
    assertThat(flags.limitFlags())
        .containsExactly("-XX:ActiveProcessorCount=2", "-XX:MaxRAM=" + 768L * 1024 * 1024);
  }

  @Test
  void theShippedDeploymentGivesJvmOptionsAndBothLimits() throws Exception {
    DeploymentFlags flags =
        DeploymentFlags.read(
            Path.of(System.getProperty("basedir", ""))
                .toAbsolutePath()
                .resolve("deploy/base/deployment.yaml"));

    assertThat(flags.env().get("JAVA_TOOL_OPTIONS")).isNotBlank();
    assertThat(flags.limitFlags())
        .hasSize(2)
        .anyMatch(f -> f.startsWith("-XX:ActiveProcessorCount="))
        .anyMatch(f -> f.startsWith("-XX:MaxRAM="));
  }

  @Test
  void preloadedSecretsAreListedReadAndClashLikeCreatedOnes() {
    try (EmbeddedCluster cluster = EmbeddedCluster.create(Clock.systemUTC(), Map.of())) {
      List<String> paths = new CopyOnWriteArrayList<>();
      cluster.api().onCall((Call c, String path) -> paths.add(c.verb() + " " + path));
      IntStream.range(0, 3)
          .forEach(i -> cluster.api().preload("/api/v1/namespaces/ns/secrets", secret("s" + i)));
      cluster.client().resource(secret("through-the-api")).create();

      List<Secret> listed =
          cluster.client().secrets().inNamespace("ns").withLabel("app", "noise").list().getItems();

      assertThat(listed)
          .extracting(s -> s.getMetadata().getName())
          .containsExactlyInAnyOrder("s0", "s1", "s2", "through-the-api");
      assertThat(listed)
          .extracting(s -> s.getMetadata().getUid())
          .doesNotContainNull()
          .doesNotHaveDuplicates();
      assertThat(listed)
          .extracting(s -> s.getMetadata().getResourceVersion())
          .doesNotHaveDuplicates();
      assertThat(cluster.client().secrets().inNamespace("ns").withName("s1").get().getData())
          .containsKey("k");
      assertThatThrownBy(() -> cluster.client().resource(secret("s2")).create())
          .isInstanceOfSatisfying(
              KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
      assertThat(paths)
          .anyMatch(p -> p.startsWith("list ") && p.contains("labelSelector=app%3Dnoise"));
    }
  }

  @Test
  void percentilesAreNearestRank() {
    List<Double> hundred = IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();
    assertThat(Report.percentile(hundred, 50)).isEqualTo(50.0);
    assertThat(Report.percentile(hundred, 99)).isEqualTo(99.0);
    assertThat(Report.percentile(List.of(5.0), 99)).isEqualTo(5.0);
    assertThat(Report.percentile(List.of(1.0, 2.0, 3.0), 50)).isEqualTo(2.0);
  }

  private static Secret secret(String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .addToLabels("app", "noise")
        .endMetadata()
        .addToData("k", "dg==")
        .build();
  }
}
