package io.grafanatokens.reconcile;

import io.grafanatokens.api.v1alpha1.PendingRevocation;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenListing;
import io.grafanatokens.provider.TokenSession;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * docs/reference.md#which-tokens-may-be-deleted (b): this resource's tokens by name on the current
 * service account that no managed Secret holds and that are not pending revocation — a lost create,
 * a write that never landed, this resource's expired tokens (AMG counts them against a quota). A
 * failed delete is not a failure of the pass: the next sweep tries again.
 */
final class Sweep {
  private static final Logger LOG = LoggerFactory.getLogger(Sweep.class);

  private final PassContext c;

  Sweep(PassContext c) {
    this.c = c;
  }

  /**
   * @param pending tokens waiting for their grace period: never swept
   * @param held the tokens the Secret holds or just held (consumers may still use a replaced one,
   *     even one left to expire): never swept
   */
  void run(TokenSession s, TokenListing listing, List<PendingRevocation> pending, Set<String> held)
      throws ProviderException {
    Set<String> keep = new HashSet<>(held);
    pending.forEach(p -> keep.add(p.getTokenId()));
    String account = s.serviceAccountId();
    for (TokenInfo t : listing.tokens()) {
      if (!c.res.naming().isOurs(t.name())
          || keep.contains(t.id())
          || c.heldByOthers(account, t.id())) {
        continue;
      }
      try {
        s.revoke(account, t.id());
        LOG.info("{}: swept stray token {} ({})", c.who(), t.name(), t.id());
      } catch (ProviderException e) {
        LOG.warn(
            "{}: could not sweep stray token {} ({}): {}; the next sweep tries again",
            c.who(),
            t.name(),
            t.id(),
            e.getMessage());
      }
    }
  }
}
