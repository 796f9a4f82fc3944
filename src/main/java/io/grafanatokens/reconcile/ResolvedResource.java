package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.SecretTemplate;
import io.grafanatokens.provider.ProviderCapabilities;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.reconcile.policy.Durations;
import io.grafanatokens.reconcile.policy.Locations;
import io.grafanatokens.reconcile.policy.RenewalSchedule;
import io.grafanatokens.reconcile.policy.SpecValidator;
import io.grafanatokens.reconcile.policy.TokenNaming;
import io.grafanatokens.secret.CurrentToken;
import io.grafanatokens.secret.Hashing;
import io.grafanatokens.secret.SecretAnnotations;
import io.grafanatokens.secret.SecretLayout;
import java.time.Duration;
import java.util.Optional;

/**
 * A validated resource after defaulting: the names, lifetimes and hashes one reconcile works with.
 *
 * @param effectiveSpec the spec the provider is called with (a connection's block merged in)
 * @param lifetime the requested lifetime; empty when the provider decides it
 * @param targetHash SHA-256 of the shaping fields (docs/reference.md#when-a-new-token-is-issued)
 * @param location SHA-256 of where a token id means something
 *     (docs/reference.md#which-tokens-may-be-deleted)
 * @param credentialsSecret the Secret holding the credential a 401 is about, if any
 */
public record ResolvedResource(
    GrafanaServiceAccountToken resource,
    GrafanaServiceAccountTokenSpec effectiveSpec,
    ProviderKind kind,
    TokenProvider provider,
    String namespace,
    String uid,
    TokenNaming naming,
    Optional<Duration> lifetime,
    Optional<Duration> renewBefore,
    Optional<Duration> gracePeriod,
    SecretLayout layout,
    boolean retain,
    String targetHash,
    String location,
    Optional<String> credentialsSecret) {

  public static ResolvedResource of(
      GrafanaServiceAccountToken r, ProviderKind kind, TokenProvider provider) {
    return of(r, r.getSpec(), kind, provider);
  }

  public static ResolvedResource of(
      GrafanaServiceAccountToken r,
      GrafanaServiceAccountTokenSpec spec,
      ProviderKind kind,
      TokenProvider provider) {
    String name = r.getMetadata().getName();
    String uid = r.getMetadata().getUid();
    String tokenName = spec.getTokenName() != null ? spec.getTokenName() : name;
    Optional<Duration> lifetime =
        provider.capabilities().decidesLifetime()
            ? Optional.empty()
            : Optional.of(Duration.ofSeconds(SpecValidator.requestedSecondsToLive(spec)));
    Optional<Duration> renewBefore = Optional.empty();
    Optional<Duration> grace = Optional.empty();
    if (spec.getRotation() != null) {
      renewBefore =
          Optional.ofNullable(spec.getRotation().getRenewBefore()).flatMap(Durations::parse);
      grace = Optional.ofNullable(spec.getRotation().getGracePeriod()).flatMap(Durations::parse);
    }
    SecretTemplate st = spec.getSecret() != null ? spec.getSecret() : new SecretTemplate();
    String urlKey = st.getUrlKey() == null || st.getUrlKey().isEmpty() ? null : st.getUrlKey();
    SecretLayout layout =
        new SecretLayout(
            r.getMetadata().getNamespace(),
            st.getName() != null ? st.getName() : name,
            st.getKey() != null ? st.getKey() : SecretTemplate.DEFAULT_KEY,
            urlKey,
            urlKey == null ? null : provider.baseUrl(spec).orElse(null),
            st.getLabels(),
            st.getAnnotations());
    String shaping =
        "provider="
            + kind.specName()
            + "\n"
            + provider.shapingFields(spec)
            + "\ntokenName="
            + tokenName
            + "\nsecondsToLive="
            + lifetime.map(Duration::getSeconds).map(String::valueOf).orElse("");
    return new ResolvedResource(
        r,
        spec,
        kind,
        provider,
        r.getMetadata().getNamespace(),
        uid,
        new TokenNaming(tokenName, uid),
        lifetime,
        renewBefore,
        grace,
        layout,
        "Retain".equals(spec.getDeletionPolicy()),
        Hashing.sha256Hex(shaping),
        Hashing.sha256Hex("provider=" + kind.specName() + "\n" + provider.locationFields(spec)),
        CredentialRefs.credential(spec));
  }

  /** Where the resource points now, for {@link Locations}. */
  public Locations.Here here() {
    return new Locations.Here(location, targetHash);
  }

  public String name() {
    return resource.getMetadata().getName();
  }

  public String secretName() {
    return layout.name();
  }

  public ProviderCapabilities capabilities() {
    return provider.capabilities();
  }

  /** The grafanatokens.io/rotate annotation on the resource, if any. */
  public Optional<String> rotateAnnotation() {
    var a = resource.getMetadata().getAnnotations();
    return a == null ? Optional.empty() : Optional.ofNullable(a.get(SecretAnnotations.ROTATE));
  }

  /** The renewal schedule of a token held, when its times are known. */
  public Optional<RenewalSchedule> schedule(CurrentToken t) {
    if (t.issuedAt() == null || t.expiresAt() == null || !t.expiresAt().isAfter(t.issuedAt())) {
      return Optional.empty();
    }
    return Optional.of(
        RenewalSchedule.compute(
            t.issuedAt(),
            Duration.between(t.issuedAt(), t.expiresAt()),
            renewBefore,
            gracePeriod,
            capabilities().revokesPreviousByDefault(),
            uid));
  }

  /** The grace period of a previous token when no schedule can be computed for it. */
  public Optional<Duration> fallbackGrace() {
    return gracePeriod.isPresent() || !capabilities().revokesPreviousByDefault()
        ? gracePeriod
        : Optional.of(Duration.ofMinutes(10));
  }
}
