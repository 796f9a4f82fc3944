package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.secret.CurrentToken;
import io.grafanatokens.secret.TokenSecretState;
import io.grafanatokens.secret.TokenSecretState.Ownership;
import io.grafanatokens.secret.TokenSecrets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Secret's housekeeping, none of which issues a token: moving the key to a new
 * spec.secret.name, deleting this resource's Secrets left under an old name (also by a move
 * interrupted half-way, which would otherwise pin the previous token), adopting a Secret left by
 * Retain, and applying spec.secret's metadata (docs/reference.md#when-a-new-token-is-issued).
 */
final class SecretUpkeep {
  private static final Logger LOG = LoggerFactory.getLogger(SecretUpkeep.class);

  private final PassContext c;
  private final PassState st;

  SecretUpkeep(PassContext c, PassState st) {
    this.c = c;
    this.st = st;
  }

  /**
   * The Secret is absent and one of ours under another name holds a key: write it here, then delete
   * that one.
   */
  void moveOrTidy(List<Secret> ownedElsewhere) {
    if (ownedElsewhere.isEmpty()) {
      return;
    }
    if (st.secret.ownership() == Ownership.ABSENT) {
      Optional<TokenSecretState> source =
          ownedElsewhere.stream()
              .map(s -> TokenSecretState.of(s, c.res.uid(), c.res.layout().key()))
              .filter(s -> s.current().isPresent() && !s.keyEdited())
              .max(
                  Comparator.comparing(
                      s -> s.current().get().issuedAt(),
                      Comparator.nullsFirst(Comparator.naturalOrder())));
      if (source.isEmpty()) {
        return;
      }
      TokenSecretState from = source.get();
      Secret moved =
          TokenSecrets.desired(
              null,
              c.res.layout(),
              c.resource,
              from.current().get(),
              from.pendingRevocations(),
              from.rotateRequest().orElse(null));
      st.secret = state(c.d.store().write(null, moved));
      LOG.info(
          "{}: moved the key from Secret {} to {}",
          c.who(),
          from.secret().get().getMetadata().getName(),
          c.res.secretName());
    }
    if (st.secret.ownership() == Ownership.OWNED) {
      // the key is safe at the new name: what is left under old names only pins tokens
      for (Secret old : ownedElsewhere) {
        c.d.store().delete(old);
        LOG.info(
            "{}: deleted Secret {}, left under an old spec.secret.name",
            c.who(),
            old.getMetadata().getName());
      }
    }
  }

  /**
   * A Secret left by Retain (managed-by label, no controller). True when its key is kept (same
   * shaping fields); false when a new token must be issued at once and the adopted one expire.
   */
  boolean adoptKeepingKey() {
    Optional<CurrentToken> cur = st.secret.current();
    if (cur.isEmpty()
        || st.secret.keyEdited()
        || !c.res.targetHash().equals(cur.get().targetHash())) {
      return false;
    }
    Secret adopted =
        TokenSecrets.desired(
            st.secret.secret().get(),
            c.res.layout(),
            c.resource,
            cur.get(),
            st.secret.pendingRevocations(),
            st.secret.rotateRequest().orElse(null));
    st.secret = state(c.d.store().write(st.secret.secret().get(), adopted));
    LOG.info(
        "{}: adopted Secret {} and its token {}", c.who(), c.res.secretName(), cur.get().tokenId());
    return true;
  }

  /**
   * spec.secret labels, annotations, key or urlKey changed (or another tool stripped ours): patch,
   * no new token.
   */
  void applyMetadata() {
    Optional<CurrentToken> cur = st.secret.current();
    if (st.secret.ownership() != Ownership.OWNED || cur.isEmpty() || st.secret.keyEdited()) {
      return;
    }
    Secret desired =
        TokenSecrets.desired(
            st.secret.secret().get(),
            c.res.layout(),
            c.resource,
            cur.get(),
            st.secret.pendingRevocations(),
            st.secret.rotateRequest().orElse(null));
    if (!TokenSecrets.sameContent(st.secret.secret().get(), desired)) {
      st.secret = state(c.d.store().write(st.secret.secret().get(), desired));
      LOG.info("{}: updated the metadata of Secret {}", c.who(), c.res.secretName());
    }
  }

  private TokenSecretState state(Secret s) {
    return TokenSecretState.of(s, c.res.uid(), c.res.layout().key());
  }
}
