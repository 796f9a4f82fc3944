package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import org.slf4j.MDC;

/** Puts namespace and name into the logging context of one pass (fields of LOG_FORMAT=json). */
final class ResourceMdc implements AutoCloseable {
  private ResourceMdc() {}

  static ResourceMdc of(HasMetadata r) {
    MDC.put("namespace", r.getMetadata().getNamespace());
    MDC.put("name", r.getMetadata().getName());
    return new ResourceMdc();
  }

  @Override
  public void close() {
    MDC.remove("namespace");
    MDC.remove("name");
  }
}
