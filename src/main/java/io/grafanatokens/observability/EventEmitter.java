package io.grafanatokens.observability;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grafanatokens.provider.Redaction;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits Kubernetes Events about a resource; an Event that cannot be written is logged, not fatal.
 */
public final class EventEmitter {
  /** Normal or Warning. */
  public enum Type {
    Normal,
    Warning
  }

  private static final Logger LOG = LoggerFactory.getLogger(EventEmitter.class);
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String COMPONENT = "grafana-token-operator";

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final Consumer<String> terminating;

  /**
   * @param terminating told the namespace whenever the API server refuses an Event with 403 "being
   *     terminated": for an install that may not read Namespaces, that is the only signal
   */
  public EventEmitter(
      KubernetesClient client, Clock clock, String instance, Consumer<String> terminating) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
    this.terminating = terminating;
  }

  public void emit(HasMetadata about, Type type, String reason, String message) {
    try {
      create(about, type, reason, message, false);
    } catch (RuntimeException e) {
      // an Event is worth a try, never a failed pass
      LOG.warn(
          "could not write Event {} for {}/{}: {}",
          reason,
          about.getMetadata().getNamespace(),
          about.getMetadata().getName(),
          e.getMessage());
    }
  }

  /**
   * Whether the namespace refuses new content, found with a dry-run Event: the cheapest write that
   * provokes the API server's 403 "being terminated" (docs/reference.md#delete).
   */
  public boolean probeTerminating(HasMetadata about) {
    try {
      create(about, Type.Normal, "Probe", "namespace probe", true);
      return false;
    } catch (KubernetesClientException e) {
      return isTerminating(e);
    }
  }

  private void create(HasMetadata about, Type type, String reason, String message, boolean dryRun) {
    String ns = about.getMetadata().getNamespace();
    String text = Redaction.cut(message);
    try {
      var event =
          client
              .events()
              .v1()
              .events()
              .inNamespace(ns)
              .resource(
                  new EventBuilder()
                      .withNewMetadata()
                      // unique across restarts and frozen test clocks, like kubectl's generated
                      // names
                      // not UUID.randomUUID: SecureRandom for a name is cost without benefit
                      .withName(
                          about.getMetadata().getName()
                              + "."
                              + Long.toHexString(
                                  java.util.concurrent.ThreadLocalRandom.current().nextLong()
                                      | Long.MIN_VALUE))
                      .withNamespace(ns)
                      .endMetadata()
                      .withEventTime(
                          new io.fabric8.kubernetes.api.model.MicroTime(
                              MICRO.format(clock.instant())))
                      .withReportingController(COMPONENT)
                      .withReportingInstance(instance)
                      .withAction(reason)
                      .withReason(reason)
                      .withType(type.name())
                      .withNote(text)
                      .withRegarding(
                          new ObjectReferenceBuilder()
                              .withApiVersion(about.getApiVersion())
                              .withKind(about.getKind())
                              .withName(about.getMetadata().getName())
                              .withNamespace(ns)
                              .withUid(about.getMetadata().getUid())
                              .build())
                      .build());
      if (dryRun) {
        event.dryRun().create();
      } else {
        event.create();
      }
    } catch (KubernetesClientException e) {
      if (isTerminating(e)) {
        terminating.accept(ns);
      }
      throw e;
    }
  }

  private static boolean isTerminating(KubernetesClientException e) {
    return e.getCode() == 403
        && e.getMessage() != null
        && e.getMessage().contains("being terminated");
  }
}
