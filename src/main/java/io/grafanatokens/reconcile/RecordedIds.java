package io.grafanatokens.reconcile;

import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.TokenListing;
import io.grafanatokens.provider.TokenSession;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The last rule of docs/reference.md#which-tokens-may-be-deleted. A token id recorded in the Secret
 * (or status) can be written by anyone who may edit Secrets in the namespace, and the operator
 * deletes with a credential that may not be the tenant's own (a cluster connection, its own
 * identity): such an id is deleted only when the provider lists it under a name of this resource,
 * ending in {@code -<uid8>-<n>}. Names never change, so any listing this process read serves (the
 * one after the create holds the previous token); only an id missing from it costs a list, one per
 * service account and pass. Providers without a list (Yandex) keep token values in memory only and
 * revoke nothing else, so there is nothing to check.
 */
final class RecordedIds {
  private final PassContext c;
  private final Set<String> listedThisPass = new HashSet<>();

  RecordedIds(PassContext c) {
    this.c = c;
  }

  /**
   * @param serviceAccountId the account recorded with the id; null: the current one
   * @return true when the id is listed under a name of this resource
   */
  boolean ours(TokenSession s, String serviceAccountId, String tokenId) throws ProviderException {
    if (!c.res.capabilities().canList()) {
      return true;
    }
    String current = s.serviceAccountId();
    String account = serviceAccountId != null ? serviceAccountId : current;
    String key = c.account(account);
    Optional<String> name = c.d.liveness().listedName(key, tokenId);
    if (name.isEmpty() && listedThisPass.add(key)) {
      long ticket = c.d.liveness().beforeList();
      TokenListing listing = account.equals(current) ? s.list() : s.list(account);
      c.d.liveness().put(key, c.d.clock().instant(), ticket, listing);
      name =
          listing.tokens().stream()
              .filter(t -> tokenId.equals(t.id()))
              .map(t -> t.name())
              .findFirst();
    }
    return name.filter(c.res.naming()::bearsThisUid).isPresent();
  }

  /** The Warning's text for an id that is not this resource's to delete. */
  static String notOurs(String what, String tokenId) {
    return what
        + " "
        + tokenId
        + " is not listed at the provider under a name of this resource (it is gone, or it "
        + "was never this resource's): it is not deleted";
  }
}
