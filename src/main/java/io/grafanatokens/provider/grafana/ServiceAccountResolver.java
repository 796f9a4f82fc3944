package io.grafanatokens.provider.grafana;

import io.grafanatokens.api.v1alpha1.ServiceAccountRef;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderReasons;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds spec.grafana.serviceAccount by id or exact name, creating it when createIfMissing asks;
 * it never modifies or deletes a service account, which other resources may share.
 */
final class ServiceAccountResolver {
  static final String DEFAULT_ROLE = "Viewer";
  /** Search pages are read until totalCount is covered; this bounds a misbehaving server. */
  private static final int MAX_PAGES = 1000;
  private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountResolver.class);

  private final GrafanaClient client;
  private final int perPage;

  ServiceAccountResolver(GrafanaClient client, int perPage) {
    this.client = client;
    this.perPage = perPage;
  }

  /** The id of the service account the spec names. */
  long resolve(ServiceAccountRef ref) throws ProviderException {
    if (ref == null || (ref.getId() == null && (ref.getName() == null || ref.getName().isEmpty()))) {
      throw new PermanentProviderException(ProviderReasons.SERVICE_ACCOUNT_NOT_FOUND,
          "spec.grafana.serviceAccount needs an id or a name");
    }
    if (ref.getId() != null) {
      return client.getServiceAccount(ref.getId()).id();
    }
    String name = ref.getName();
    Optional<GrafanaDtos.ServiceAccount> found = findByName(name);
    if (found.isPresent()) {
      return found.get().id();
    }
    if (!Boolean.TRUE.equals(ref.getCreateIfMissing())) {
      throw new PermanentProviderException(ProviderReasons.SERVICE_ACCOUNT_NOT_FOUND,
          "Grafana has no service account named " + name + " in org " + client.orgLabel()
              + " (set createIfMissing to create it)");
    }
    String role = ref.getRole() == null || ref.getRole().isEmpty() ? DEFAULT_ROLE : ref.getRole();
    Optional<GrafanaDtos.ServiceAccount> created = client.createServiceAccount(name, role);
    if (created.isPresent()) {
      LOG.debug("created Grafana service account {} (id {}, role {})", name, created.get().id(), role);
      return created.get().id();
    }
    // ErrAlreadyExists: someone created it since our search (another resource on the same name),
    // or an account was renamed away from this name and still holds its login.
    return findByName(name).map(GrafanaDtos.ServiceAccount::id).orElseThrow(() ->
        new PermanentProviderException(ProviderReasons.SERVICE_ACCOUNT_NOT_FOUND,
            "Grafana refuses to create service account " + name + " (already exists) but none has that name in org "
                + client.orgLabel() + ": a renamed account keeps its old login (sa-<orgId>-<name>);"
                + " refer to it by serviceAccount.id or pick another name"));
  }

  /** Exact-name match over every page of the substring search. */
  private Optional<GrafanaDtos.ServiceAccount> findByName(String name) throws ProviderException {
    List<GrafanaDtos.ServiceAccount> exact = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      GrafanaDtos.SearchResult result = client.search(name, page, perPage);
      List<GrafanaDtos.ServiceAccount> accounts = result.serviceAccounts() == null ? List.of() : result.serviceAccounts();
      for (GrafanaDtos.ServiceAccount account : accounts) {
        if (name.equals(account.name())) {
          exact.add(account);
        }
      }
      if (accounts.isEmpty() || (long) page * perPage >= result.totalCount()) {
        break;
      }
    }
    if (exact.size() > 1) {
      // Renames can leave two accounts with one name; picking one would be a guess.
      throw new PermanentProviderException(ProviderReasons.SERVICE_ACCOUNT_NOT_FOUND,
          "several Grafana service accounts are named " + name + " (ids "
              + exact.stream().map(a -> Long.toString(a.id())).reduce((a, b) -> a + ", " + b).orElse("")
              + "): refer to one by serviceAccount.id");
    }
    return exact.stream().findFirst();
  }
}
