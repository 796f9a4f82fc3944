package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountToken;
import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.SecretTemplate;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.reconcile.policy.Durations;
import io.grafanatokens.reconcile.policy.SpecValidator;
import io.grafanatokens.reconcile.policy.TokenNaming;
import io.grafanatokens.secret.Hashing;
import io.grafanatokens.secret.SecretLayout;
import java.time.Duration;
import java.util.Optional;

/**
 * A validated resource after defaulting: the names, lifetimes and hashes one reconcile works with.
 *
 * @param lifetime the requested lifetime; empty when the provider decides it (yandexCloud)
 * @param targetHash SHA-256 of the shaping fields (api.md "When a new token is issued")
 */
public record ResolvedResource(
    GrafanaServiceAccountToken resource,
    ProviderKind kind,
    TokenProvider provider,
    String namespace,
    String uid,
    String tokenName,
    TokenNaming naming,
    Optional<Duration> lifetime,
    Optional<Duration> renewBefore,
    Optional<Duration> gracePeriod,
    SecretLayout layout,
    boolean retain,
    String targetHash) {

  public static ResolvedResource of(GrafanaServiceAccountToken r, ProviderKind kind, TokenProvider provider) {
    GrafanaServiceAccountTokenSpec spec = r.getSpec();
    String name = r.getMetadata().getName();
    String uid = r.getMetadata().getUid();
    String tokenName = spec.getTokenName() != null ? spec.getTokenName() : name;
    Optional<Duration> lifetime = kind == ProviderKind.YANDEX_CLOUD
        ? Optional.empty()
        : Optional.of(Duration.ofSeconds(SpecValidator.requestedSecondsToLive(spec)));
    Optional<Duration> renewBefore = Optional.empty();
    Optional<Duration> grace = Optional.empty();
    if (spec.getRotation() != null) {
      renewBefore = Optional.ofNullable(spec.getRotation().getRenewBefore()).flatMap(Durations::parse);
      grace = Optional.ofNullable(spec.getRotation().getGracePeriod()).flatMap(Durations::parse);
    }
    SecretTemplate st = spec.getSecret() != null ? spec.getSecret() : new SecretTemplate();
    String urlKey = st.getUrlKey() == null || st.getUrlKey().isEmpty() ? null : st.getUrlKey();
    SecretLayout layout = new SecretLayout(
        r.getMetadata().getNamespace(),
        st.getName() != null ? st.getName() : name,
        st.getKey() != null ? st.getKey() : SecretTemplate.DEFAULT_KEY,
        urlKey,
        urlKey == null ? null : provider.baseUrl(spec).orElse(null),
        st.getLabels(),
        st.getAnnotations());
    String shaping = "provider=" + kind.specName() + "\n" + provider.shapingFields(spec)
        + "\ntokenName=" + tokenName + "\nsecondsToLive=" + lifetime.map(Duration::getSeconds).map(String::valueOf).orElse("");
    return new ResolvedResource(r, kind, provider, r.getMetadata().getNamespace(), uid, tokenName,
        new TokenNaming(tokenName, uid), lifetime, renewBefore, grace, layout,
        "Retain".equals(spec.getDeletionPolicy()), Hashing.sha256Hex(shaping));
  }

  public String name() {
    return resource.getMetadata().getName();
  }

  public String secretName() {
    return layout.name();
  }

  /** The grafanatokens.io/rotate annotation on the resource, if any. */
  public Optional<String> rotateAnnotation() {
    var a = resource.getMetadata().getAnnotations();
    return a == null ? Optional.empty() : Optional.ofNullable(a.get(io.grafanatokens.secret.SecretAnnotations.ROTATE));
  }
}
