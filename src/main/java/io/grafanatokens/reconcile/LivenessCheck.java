package io.grafanatokens.reconcile;

import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenListing;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.secret.CurrentToken;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docs/reference.md#liveness-check: every TOKEN_CHECK_INTERVAL, is the token in the Secret still
 * alive at the provider? One list per service account and interval, shared. A token missing from a
 * capped (incomplete) list is not called gone, nor is one missing from a list sent before it was
 * created. A gone token stays the trigger until a token is issued for it.
 */
final class LivenessCheck {
  private static final Logger LOG = LoggerFactory.getLogger(LivenessCheck.class);

  private final PassContext c;
  private final PassState st;

  LivenessCheck(PassContext c, PassState st) {
    this.c = c;
    this.st = st;
  }

  boolean due() {
    return !c.d.tokenCheckInterval().isZero()
        && c.res.capabilities().canList()
        && st.secret.current().isPresent()
        && !st.secret.keyEdited()
        && c.d.liveness().due(c.res.uid(), c.now, c.d.tokenCheckInterval());
  }

  void run() throws ProviderException {
    CurrentToken cur = st.secret.current().get();
    TokenSession s = c.session();
    TokenListing listing =
        c.d
            .liveness()
            .tokens(c.account(s), cur.tokenId(), c.now, c.d.tokenCheckInterval(), s::list);
    c.providerAnswered();
    c.d.liveness().checked(c.res.uid(), c.now);
    Optional<TokenInfo> found =
        listing.tokens().stream().filter(t -> cur.tokenId().equals(t.id())).findFirst();
    boolean gone = found.map(t -> t.revoked() || t.expired()).orElse(listing.complete());
    if (gone) {
      LOG.info("{}: token {} is gone or revoked at the provider", c.who(), cur.tokenId());
      c.d.triggers().tokenGone(c.res.uid(), cur.tokenId());
      st.tokenGone = true;
    }
  }
}
