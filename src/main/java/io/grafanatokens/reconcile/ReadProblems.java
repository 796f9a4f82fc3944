package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fields of a resource that could not be read (a string where a number belongs, an object for a
 * list): the resource is read without them, never dropped, and the reconciler refuses it with
 * InvalidSpec naming them. Kept by uid and resourceVersion, so that JOSDK's copies of the same
 * version (made by serialising it again) find them too; the oldest are forgotten first.
 */
public final class ReadProblems {
  private static final int KEPT = 10_000;
  private static final Map<String, List<String>> PROBLEMS =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
          return size() > KEPT;
        }
      };

  private ReadProblems() {}

  public static synchronized void record(HasMetadata resource, List<String> problems) {
    PROBLEMS.put(key(resource), List.copyOf(problems));
  }

  static synchronized List<String> of(HasMetadata resource) {
    List<String> p = PROBLEMS.get(key(resource));
    return p == null ? List.of() : p;
  }

  private static String key(HasMetadata r) {
    return r.getMetadata() == null
        ? ""
        : r.getMetadata().getUid() + "@" + r.getMetadata().getResourceVersion();
  }
}
