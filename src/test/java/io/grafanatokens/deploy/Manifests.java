package io.grafanatokens.deploy;

import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The manifests of deploy/ as the cluster would get them: rendered by {@code kubectl kustomize}
 * (the same kustomize as {@code kubectl apply -k}) and parsed into fabric8 objects.
 */
final class Manifests {
  private static final Map<String, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Manifests() {}

  /** The repository root (surefire sets basedir; an IDE runs from the root). */
  static Path projectDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  static String read(String relative) {
    try {
      return Files.readString(projectDir().resolve(relative));
    } catch (IOException e) {
      throw new AssertionError("cannot read " + relative + " from " + projectDir(), e);
    }
  }

  /** {@code kubectl kustomize <dir>}, parsed; dir relative to the repository root. */
  static List<HasMetadata> render(String dir) {
    return RENDERED.computeIfAbsent(dir, d -> parse(kustomize(d)));
  }

  static List<HasMetadata> parse(String yaml) {
    Object parsed =
        SERIALIZATION.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    if (parsed instanceof List<?> list) {
      return list.stream().map(HasMetadata.class::cast).toList();
    }
    return List.of((HasMetadata) parsed);
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    if (found.size() != 1) {
      fail(
          "expected exactly one "
              + type.getSimpleName()
              + " in the rendered manifests, found "
              + found.size());
    }
    return found.get(0);
  }

  static Deployment deployment(List<HasMetadata> objects) {
    return one(objects, Deployment.class);
  }

  /** The kubectl to run: $KUBECTL, else kubectl on the PATH. */
  static String kubectl() {
    String configured = System.getenv("KUBECTL");
    return configured == null || configured.isBlank() ? "kubectl" : configured;
  }

  static String kustomize(String dir) {
    Path path = projectDir().resolve(dir);
    ProcessBuilder pb =
        new ProcessBuilder(kubectl(), "kustomize", path.toString()).redirectErrorStream(false);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new AssertionError(
          "kubectl is needed to render "
              + dir
              + " (`kubectl kustomize`, kustomize v5) but '"
              + kubectl()
              + "' could not be started: "
              + e.getMessage()
              + ". Install kubectl >= 1.27 on the PATH or set KUBECTL to its path.",
          e);
    }
    try (InputStream out = p.getInputStream();
        InputStream err = p.getErrorStream()) {
      // stderr is small; read stdout fully first would block only if stderr filled its pipe
      byte[] stdout = out.readAllBytes();
      byte[] stderr = err.readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl kustomize " + dir + " did not finish in 60 s");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "kubectl kustomize "
                + dir
                + " failed (exit "
                + p.exitValue()
                + "): "
                + new String(stderr, StandardCharsets.UTF_8));
      }
      return new String(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("reading the output of kubectl kustomize " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
