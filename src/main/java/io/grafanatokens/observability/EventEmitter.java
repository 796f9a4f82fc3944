package io.grafanatokens.observability;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grafanatokens.provider.Redaction;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Emits Kubernetes Events about a resource; an Event that cannot be written is logged, not fatal. */
public final class EventEmitter {
  /** Normal or Warning. */
  public enum Type { Normal, Warning }

  private static final Logger LOG = LoggerFactory.getLogger(EventEmitter.class);
  private static final DateTimeFormatter MICRO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
      .withZone(ZoneOffset.UTC);
  private static final String COMPONENT = "grafana-token-operator";

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  public EventEmitter(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  public void emit(HasMetadata about, Type type, String reason, String message) {
    String ns = about.getMetadata().getNamespace();
    String text = Redaction.cut(message);
    try {
      client.events().v1().events().inNamespace(ns).resource(new EventBuilder()
              .withNewMetadata()
              // unique across restarts and frozen test clocks, like kubectl's generated names
              .withName(about.getMetadata().getName() + "." + java.util.UUID.randomUUID().toString()
                  .replace("-", "").substring(0, 16))
              .withNamespace(ns)
              .endMetadata()
              .withEventTime(new io.fabric8.kubernetes.api.model.MicroTime(MICRO.format(clock.instant())))
              .withReportingController(COMPONENT)
              .withReportingInstance(instance)
              .withAction(reason)
              .withReason(reason)
              .withType(type.name())
              .withNote(text)
              .withRegarding(new ObjectReferenceBuilder()
                  .withApiVersion(about.getApiVersion())
                  .withKind(about.getKind())
                  .withName(about.getMetadata().getName())
                  .withNamespace(ns)
                  .withUid(about.getMetadata().getUid())
                  .build())
              .build())
          .create();
    } catch (RuntimeException e) {
      LOG.warn("could not write Event {} for {}/{}: {}", reason, ns, about.getMetadata().getName(), e.getMessage());
    }
  }
}
