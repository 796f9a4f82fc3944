package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenListing;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.secret.CurrentToken;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docs/reference.md#issuing-crash-safe steps 4 and 5, once the new key is in the Secret: restart
 * the workloads first, then read the provider's token list once — it corrects the estimated expiry,
 * feeds the sweep and the liveness cache. A failure from here on is not a failed issue.
 */
final class AfterSwap {
  private static final Logger LOG = LoggerFactory.getLogger(AfterSwap.class);

  private final PassContext c;
  private final PassState st;

  AfterSwap(PassContext c, PassState st) {
    this.c = c;
    this.st = st;
  }

  /**
   * @param replaced the token the Secret held before, or null
   * @param keyChanged consumers held another key before (every issue but the first)
   */
  void run(TokenSession s, TokenIssuer.Swap swap, String replaced, boolean keyChanged) {
    if (keyChanged) {
      new Restarts(c, st).restart();
    }
    if (!c.res.capabilities().canList()) {
      return;
    }
    TokenListing listing;
    String account;
    try {
      account = c.account(s);
      long ticket = c.d.liveness().beforeList();
      listing = s.list();
      c.d.liveness().put(account, c.d.clock().instant(), ticket, listing);
      // the list after a create shows the new token alive: it serves as this interval's check
      c.d.liveness().checked(c.res.uid(), c.now);
    } catch (ProviderException e) {
      st.notes.add("expiry estimated: the token list could not be read: " + e.getMessage());
      return;
    }
    correctExpiry(swap.token(), listing);
    Set<String> held = new HashSet<>();
    held.add(swap.token().tokenId());
    if (replaced != null) {
      held.add(replaced);
    }
    try {
      new Sweep(c).run(s, listing, swap.pending(), held);
    } catch (ProviderException e) {
      LOG.warn("{}: the sweep after the issue failed: {}", c.who(), e.getMessage());
    }
  }

  /** The provider's real expiry replaces the estimate send time + lifetime. */
  private void correctExpiry(CurrentToken token, TokenListing listing) {
    Optional<Instant> real = realExpiry(token, listing.tokens());
    if (real.isEmpty()) {
      st.notes.add("expiry estimated: the provider's token list does not show the token");
      return;
    }
    if (real.get().equals(token.expiresAt())) {
      return;
    }
    Secret current = st.secret.secret().orElseThrow();
    Secret corrected =
        TokenSecrets.desired(
            current,
            c.res.layout(),
            c.resource,
            token.withExpiresAt(real.get()),
            st.secret.pendingRevocations(),
            c.res.rotateAnnotation().orElse(null));
    try {
      st.secret =
          TokenSecretState.of(
              c.d.store().write(current, corrected), c.res.uid(), c.res.layout().key());
    } catch (KubernetesClientException e) {
      // the key is in place; the estimate is never later than the real expiry
      st.notes.add(
          "expiry estimated: correcting it in the Secret failed (" + WriteOutcome.message(e) + ")");
      st.retryNoLaterThan(c.now.plusSeconds(2));
    }
  }

  /**
   * The provider's expiry, from its own clock: L = expiration - creation there; expiresAt = issue
   * time + L. Empty when the list lacks the token.
   */
  static Optional<Instant> realExpiry(CurrentToken token, List<TokenInfo> listed) {
    return listed.stream()
        .filter(t -> Objects.equals(t.id(), token.tokenId()))
        .filter(t -> t.expiresAt() != null)
        .findFirst()
        .map(
            t ->
                t.createdAt() == null
                    ? t.expiresAt()
                    : token.issuedAt().plus(Duration.between(t.createdAt(), t.expiresAt())));
  }
}
