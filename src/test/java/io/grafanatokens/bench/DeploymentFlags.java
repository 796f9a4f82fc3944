package io.grafanatokens.bench;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator container of deploy/base/deployment.yaml as a local process would run it: its
 * plain-valued environment (JAVA_TOOL_OPTIONS among it) and, standing in for the cgroup limits the
 * JVM reads in a container, -XX:ActiveProcessorCount and -XX:MaxRAM from its resource limits.
 */
record DeploymentFlags(Map<String, String> env, List<String> limitFlags) {

  static DeploymentFlags read(Path deploymentYaml) throws IOException {
    Deployment d;
    try (InputStream in = Files.newInputStream(deploymentYaml)) {
      d = new KubernetesSerialization().unmarshal(in, Deployment.class);
    }
    Container c =
        d.getSpec().getTemplate().getSpec().getContainers().stream()
            .filter(x -> x.getName().equals("operator"))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(deploymentYaml + " has no container named operator"));
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      }
    }
    List<String> flags = new ArrayList<>();
    Map<String, Quantity> limits =
        c.getResources() == null ? Map.of() : c.getResources().getLimits();
    if (limits != null && limits.get("cpu") != null) {
      int cpus =
          Quantity.getAmountInBytes(limits.get("cpu"))
              .setScale(0, RoundingMode.CEILING)
              .max(BigDecimal.ONE)
              .intValueExact();
      flags.add("-XX:ActiveProcessorCount=" + cpus);
    }
    if (limits != null && limits.get("memory") != null) {
      flags.add("-XX:MaxRAM=" + Quantity.getAmountInBytes(limits.get("memory")).toBigInteger());
    }
    return new DeploymentFlags(env, flags);
  }
}
