package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.secret.SecretAnnotations;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokens minted by an earlier pass whose Secret write had an unknown outcome, where the provider
 * has no list for a sweep to find them later (Yandex IAM: up to 12 h alive otherwise). The Secret
 * as the API server has it now tells: the key landed (nothing to do), or it did not (revoked,
 * unless a managed Secret of another resource holds the same value).
 */
final class UnsettledWrites {
  private static final Logger LOG = LoggerFactory.getLogger(UnsettledWrites.class);

  private final PassContext c;

  UnsettledWrites(PassContext c) {
    this.c = c;
  }

  void settle() throws ProviderException {
    var pending = c.d.holds().unsettled(c.res.uid());
    if (pending.isEmpty()) {
      return;
    }
    Secret now = c.d.store().readFromServer(c.res.namespace(), c.res.secretName());
    Map<String, String> a =
        now == null || now.getMetadata().getAnnotations() == null
            ? Map.of()
            : now.getMetadata().getAnnotations();
    TokenSession s = c.session();
    for (WriteHolds.Unsettled u : pending) {
      if (u.keySha256().equals(a.get(SecretAnnotations.KEY_SHA256))) {
        LOG.info("{}: token {} did land in the Secret", c.who(), u.tokenId());
      } else if (c.heldByOthers(u.serviceAccountId(), u.tokenId())) {
        LOG.info(
            "{}: token {} did not land, but another resource's Secret holds it; not revoking it",
            c.who(),
            u.tokenId());
      } else {
        s.revoke(u.serviceAccountId(), u.tokenId());
        LOG.info("{}: token {} did not land in the Secret; revoked", c.who(), u.tokenId());
      }
      c.d.holds().settled(c.res.uid(), u);
    }
  }
}
