package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionStatus;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.Redaction;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.reconcile.policy.ConnectionRules;
import io.grafanatokens.reconcile.policy.EffectiveSpec;
import io.grafanatokens.reconcile.policy.Violation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A connection's status (docs/reference.md#connection-status): Ready from resolving its credentials
 * and one cheap authenticated read — made when its spec or its credentials Secret changed, and
 * otherwise at most once per TOKEN_CHECK_INTERVAL; a rejected credential is not tried again until
 * its Secret changes. No token is minted here.
 */
final class ConnectionPass {
  /** The last read per connection: what it was made against, and what it said. */
  record Probe(
      long generation,
      String credentials,
      Instant at,
      String reason,
      String message,
      Instant checked) {
    Probe checkedAt(Instant when) {
      return new Probe(generation, credentials, at, reason, message, when);
    }
  }

  static final java.time.Duration CREDENTIALS_RECHECK = java.time.Duration.ofMinutes(1);

  private final ConnectionControllers.Deps d;
  private final HasMetadata connection;
  private final GrafanaConnectionSpec spec;
  private final boolean cluster;
  private final Map<String, Probe> probes;

  ConnectionPass(
      ConnectionControllers.Deps d,
      HasMetadata connection,
      GrafanaConnectionSpec spec,
      boolean cluster,
      Map<String, Probe> probes) {
    this.d = d;
    this.connection = connection;
    this.spec = spec;
    this.cluster = cluster;
    this.probes = probes;
  }

  GrafanaConnectionStatus run(GrafanaConnectionStatus previous) {
    Instant now = d.clock().instant();
    GrafanaConnectionStatus s = new GrafanaConnectionStatus();
    s.setObservedGeneration(connection.getMetadata().getGeneration());
    s.setTokens(d.shared().tokens().count(connection));
    List<Violation> problems = ConnectionRules.connection(spec);
    if (!problems.isEmpty()) {
      return ready(
          s,
          previous,
          now,
          false,
          Reasons.INVALID_SPEC,
          problems.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    }
    GrafanaServiceAccountTokenSpec block =
        EffectiveSpec.of(new GrafanaServiceAccountTokenSpec(), spec, null);
    ProviderKind kind = ProviderRegistry.kindOf(block);
    s.setProvider(kind.specName());
    Optional<TokenProvider> provider = d.providers().forKind(kind);
    if (provider.isEmpty()) {
      return ready(
          s,
          previous,
          now,
          false,
          Reasons.INVALID_SPEC,
          "spec."
              + kind.specName()
              + ": this provider is not available in this build of the operator");
    }
    s.setTarget(target(provider.get(), block));
    String ns = connection.getMetadata().getNamespace();
    if (!cluster && provider.get().usesAmbientCredentials(block) && !d.ambientAllowed().test(ns)) {
      return ready(
          s,
          previous,
          now,
          false,
          Reasons.NOT_PERMITTED,
          "spec."
              + kind.specName()
              + " uses the operator's "
              + "own identity, which namespace "
              + ns
              + " may not use: list it in AMBIENT_CREDENTIALS_NAMESPACES");
    }
    KubernetesSecretLookup lookup =
        new KubernetesSecretLookup(d.shared().credentials(), cluster ? d.operatorNamespace() : ns);
    Probe last = probes.get(connection.getMetadata().getUid());
    // a recount every few seconds reads the credentials Secret at most once a minute (docs:
    // "checked every minute")
    String credentials =
        last != null
                && now.isBefore(last.checked().plus(CREDENTIALS_RECHECK))
                && last.generation() == generation()
            ? last.credentials()
            : CredentialRefs.names(block).stream()
                .map(n -> n + "=" + lookup.version(n))
                .collect(Collectors.joining(";"));
    if (due(last, credentials, now)) {
      last = probe(provider.get(), block, lookup, credentials, now);
    } else if (!now.isBefore(last.checked().plus(CREDENTIALS_RECHECK))) {
      last = last.checkedAt(now);
    }
    probes.put(connection.getMetadata().getUid(), last);
    boolean connected = Reasons.CONNECTED.equals(last.reason());
    return ready(s, previous, now, connected, last.reason(), last.message());
  }

  private boolean due(Probe last, String credentials, Instant now) {
    if (last == null
        || last.generation() != generation()
        || !last.credentials().equals(credentials)) {
      return true;
    }
    // a 401 or a missing Secret waits for the Secret to change: retrying a wrong password locks
    // Grafana's admin out
    if (Reasons.CREDENTIALS_REJECTED.equals(last.reason())
        || Reasons.CREDENTIALS_NOT_FOUND.equals(last.reason())) {
      return false;
    }
    return !d.tokenCheckInterval().isZero()
        && !now.isBefore(last.at().plus(d.tokenCheckInterval()));
  }

  private Probe probe(
      TokenProvider provider,
      GrafanaServiceAccountTokenSpec block,
      KubernetesSecretLookup lookup,
      String credentials,
      Instant now) {
    try {
      provider.probe(block, lookup);
      return new Probe(
          generation(),
          credentials,
          now,
          Reasons.CONNECTED,
          "the provider accepted the credentials",
          now);
    } catch (ProviderException e) {
      return new Probe(generation(), credentials, now, e.reason(), e.getMessage(), now);
    }
  }

  private static String target(TokenProvider provider, GrafanaServiceAccountTokenSpec block) {
    if (block.getAmazonManagedGrafana() != null) {
      return block.getAmazonManagedGrafana().getWorkspaceId();
    }
    return provider.baseUrl(block).orElse(block.getYandexCloud() != null ? "iam" : "");
  }

  private long generation() {
    Long g = connection.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  private static GrafanaConnectionStatus ready(
      GrafanaConnectionStatus s,
      GrafanaConnectionStatus previous,
      Instant now,
      boolean ready,
      String reason,
      String message) {
    String status = ready ? "True" : "False";
    Optional<Condition> old =
        previous == null || previous.getConditions() == null
            ? Optional.empty()
            : previous.getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst();
    String transition =
        old.filter(c -> status.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        new ConditionBuilder()
            .withType("Ready")
            .withStatus(status)
            .withReason(reason)
            .withMessage(Redaction.cut(message))
            .withObservedGeneration(s.getObservedGeneration())
            .withLastTransitionTime(transition)
            .build());
    s.setConditions(conditions);
    return s;
  }
}
