package io.grafanatokens.provider.grafana;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.api.v1alpha1.ServiceAccountRef;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.SessionPurpose;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service accounts named by spec.grafana.serviceAccount.name, resolved once per Grafana, org and
 * name and remembered: a rotation then calls nothing before its create
 * (docs/reference.md#issuing-crash-safe). An id is used as given. A service account is created only
 * when createIfMissing asks and only while issuing; it is never modified or deleted, since other
 * resources may share it.
 */
final class ServiceAccountDirectory {
  static final String DEFAULT_ROLE = "Viewer";

  /** Search pages are read until totalCount is covered; this bounds a misbehaving server. */
  private static final int MAX_PAGES = 1000;

  private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountDirectory.class);

  /** A resolved account and the role Grafana reports for it. */
  record Resolved(long id, String role) {}

  private final int perPage;
  private final Map<String, Resolved> byName = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  ServiceAccountDirectory(int perPage) {
    this.perPage = perPage;
  }

  /** The account when known without a call: an id, or a name resolved before. */
  Optional<Resolved> known(String grafana, ServiceAccountRef ref) {
    if (ref.getId() != null) {
      return Optional.of(new Resolved(ref.getId(), null));
    }
    return Optional.ofNullable(byName.get(key(grafana, ref.getName())));
  }

  /**
   * The account's id, looked up by name at most once at a time: a hundred resources on one name
   * reconciled together wait for one search.
   */
  Resolved resolve(
      String grafana, ServiceAccountRef ref, GrafanaClient client, SessionPurpose purpose)
      throws ProviderException {
    Optional<Resolved> known = known(grafana, ref);
    if (known.isPresent()) {
      return known.get();
    }
    String key = key(grafana, ref.getName());
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      Resolved cached = byName.get(key);
      if (cached != null) {
        return cached;
      }
      Resolved found = lookUp(ref, client, purpose);
      byName.put(key, found);
      return found;
    }
  }

  /** The account behind a name is gone (a 404 on it): the next use looks the name up again. */
  void forget(String grafana, ServiceAccountRef ref) {
    if (ref.getName() != null) {
      byName.remove(key(grafana, ref.getName()));
    }
  }

  private Resolved lookUp(ServiceAccountRef ref, GrafanaClient client, SessionPurpose purpose)
      throws ProviderException {
    String name = ref.getName();
    Optional<GrafanaDtos.ServiceAccount> found = findByName(name, client);
    if (found.isPresent()) {
      return new Resolved(found.get().id(), found.get().role());
    }
    if (purpose != SessionPurpose.ISSUE || !Boolean.TRUE.equals(ref.getCreateIfMissing())) {
      throw new PermanentProviderException(
          Reasons.SERVICE_ACCOUNT_NOT_FOUND,
          "Grafana has no service account named "
              + name
              + " in org "
              + client.orgLabel()
              + (purpose == SessionPurpose.ISSUE ? " (set createIfMissing to create it)" : ""));
    }
    String role = roleOf(ref);
    Optional<GrafanaDtos.ServiceAccount> created = client.createServiceAccount(name, role);
    if (created.isPresent()) {
      LOG.info(
          "created Grafana service account {} (id {}, role {})", name, created.get().id(), role);
      return new Resolved(
          created.get().id(), created.get().role() == null ? role : created.get().role());
    }
    // ErrAlreadyExists: someone created it since our search (another resource on the same name),
    // or an account was renamed away from this name and still holds its login.
    return findByName(name, client)
        .map(a -> new Resolved(a.id(), a.role()))
        .orElseThrow(
            () ->
                new PermanentProviderException(
                    Reasons.SERVICE_ACCOUNT_NOT_FOUND,
                    "Grafana refuses to create service account "
                        + name
                        + " (already exists) but none has that name in org "
                        + client.orgLabel()
                        + ": a renamed account keeps its old login (sa-<orgId>-<name>);"
                        + " refer to it by serviceAccount.id or pick another name"));
  }

  static String roleOf(ServiceAccountRef ref) {
    return ref.getRole() == null || ref.getRole().isEmpty() ? DEFAULT_ROLE : ref.getRole();
  }

  /** Exact-name match over every page of the substring search. */
  private Optional<GrafanaDtos.ServiceAccount> findByName(String name, GrafanaClient client)
      throws ProviderException {
    List<GrafanaDtos.ServiceAccount> exact = new ArrayList<>();
    for (int page = 1; page <= MAX_PAGES; page++) {
      GrafanaDtos.SearchResult result = client.search(name, page, perPage);
      List<GrafanaDtos.ServiceAccount> accounts =
          result.serviceAccounts() == null ? List.of() : result.serviceAccounts();
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
      throw new PermanentProviderException(
          Reasons.SERVICE_ACCOUNT_NOT_FOUND,
          "several Grafana service accounts are named "
              + name
              + " (ids "
              + exact.stream()
                  .map(a -> Long.toString(a.id()))
                  .reduce((a, b) -> a + ", " + b)
                  .orElse("")
              + "): refer to one by serviceAccount.id");
    }
    return exact.stream().findFirst();
  }

  private static String key(String grafana, String name) {
    return grafana + "\n" + name;
  }
}
