package io.grafanatokens.fakes.grafana;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.grafanatokens.fakes.grafana.FakeGrafanaState.Sa;
import io.grafanatokens.fakes.grafana.FakeGrafanaState.Tok;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An in-process Grafana (service-account and token API only) on 127.0.0.1 that keeps state,
 * authenticates and answers the way docs/provider-apis.md#grafana describes, with knobs and fault
 * injection for tests and the sandbox. Free of JUnit; thread-safe.
 */
public final class FakeGrafana implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final FakeGrafanaState state;
  private final FakeGrafanaHandler handler;
  private final String baseUrl;
  private final AtomicInteger adminSequence = new AtomicInteger();

  private FakeGrafana(Builder b) throws IOException {
    this.state = new FakeGrafanaState(b.clock);
    this.handler = new FakeGrafanaHandler(state, b.basePath, closing);
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port);
    if (b.sslContext != null) {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(b.sslContext));
      server = https;
    } else {
      server = HttpServer.create(address, 0);
    }
    server.createContext("/", handler);
    AtomicInteger threads = new AtomicInteger();
    // Several threads: a held (TIMEOUT) request must not stall the others; daemon threads so a
    // sandbox main can exit.
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-grafana-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    String scheme = b.sslContext != null ? "https" : "http";
    baseUrl = scheme + "://" + b.host + ":" + server.getAddress().getPort() + b.basePath;
  }

  /** A plain-HTTP fake on a random port, at the root path, on the system clock. */
  public static FakeGrafana start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options fixed at start: base sub-path, clock, port, TLS. */
  public static final class Builder {
    private String basePath = "";
    private Clock clock = Clock.systemUTC();
    private int port;
    private SSLContext sslContext;
    private String host = "127.0.0.1";

    /** Serve under a sub-path such as /grafana (Grafana's serve_from_sub_path). */
    public Builder basePath(String path) {
      String p = path == null ? "" : path.strip();
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      this.basePath = p.isEmpty() || p.startsWith("/") ? p : "/" + p;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** 0 (default) picks a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Serve HTTPS with this server context (its key and certificate). */
    public Builder https(SSLContext serverContext) {
      this.sslContext = serverContext;
      return this;
    }

    /** The host name baseUrl() uses (the server always listens on 127.0.0.1), e.g. "localhost". */
    public Builder hostInBaseUrl(String host) {
      this.host = host;
      return this;
    }

    public FakeGrafana start() {
      try {
        return new FakeGrafana(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the fake Grafana", e);
      }
    }
  }

  /** scheme://host:port plus the base sub-path, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public Clock clock() {
    return state.clock();
  }

  /** Replaces the server's time source (expiry, hasExpired, day limits, lockouts). */
  public FakeGrafana setClock(Clock clock) {
    state.setClock(clock);
    return this;
  }

  // ---- knobs ----------------------------------------------------------------------------------

  /** Grafana <= 9.3: a duplicate token name is 409 instead of 400 ErrTokenAlreadyExists. */
  public FakeGrafana legacyDuplicate409(boolean on) {
    synchronized (state) {
      state.legacyDuplicate409 = on;
    }
    return this;
  }

  /** [service_accounts] token_expiration_day_limit; <= 0 turns it off. */
  public FakeGrafana tokenExpirationDayLimit(int days) {
    synchronized (state) {
      state.tokenExpirationDayLimit = days;
    }
    return this;
  }

  /** [auth] api_key_max_seconds_to_live; -1 turns it off. */
  public FakeGrafana apiKeyMaxSecondsToLive(long seconds) {
    synchronized (state) {
      state.apiKeyMaxSecondsToLive = seconds;
    }
    return this;
  }

  /**
   * Grafana main's token lookup scoped by org: without X-Grafana-Org-Id a token of org N != 1 is
   * api-key.invalid. Off (the <= 12.x behaviour): the token's own org, a different header is
   * api-key.organization-mismatch.
   */
  public FakeGrafana orgScopedTokenLookup(boolean on) {
    synchronized (state) {
      state.orgScopedTokenLookup = on;
    }
    return this;
  }

  /** Basic-auth lockout after 5 failures in 5 minutes (on by default, as in Grafana). */
  public FakeGrafana bruteForceProtection(boolean on) {
    synchronized (state) {
      state.bruteForceProtection = on;
    }
    return this;
  }

  /** How long a TIMEOUT fault holds a request when the fault names no duration (default 5 s). */
  public FakeGrafana timeoutHold(Duration hold) {
    handler.defaultHold(hold);
    return this;
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** The next request for op fails with the fault. */
  public FakeGrafana failNext(Operation op, Fault fault) {
    return failNext(op, fault, 1);
  }

  /** The next `times` requests for op fail with the fault. */
  public FakeGrafana failNext(Operation op, Fault fault, int times) {
    handler.failNext(op, fault, times);
    return this;
  }

  /**
   * Runs action just before the next request for op is served (after faults), e.g. to create a
   * service account between a client's search and its create.
   */
  public FakeGrafana beforeNext(Operation op, Runnable action) {
    handler.beforeNext(op, action);
    return this;
  }

  /** Drops pending faults and beforeNext actions. */
  public FakeGrafana clearFaults() {
    handler.clearFaults();
    return this;
  }

  // ---- setup ----------------------------------------------------------------------------------

  /** A new organisation; org 1 "Main Org." always exists. */
  public long createOrg(String name) {
    return state.createOrg(name);
  }

  /** A basic-auth user who is Admin in every org. */
  public FakeGrafana addAdminUser(String login, String password) {
    state.addAdminUser(login, password);
    return this;
  }

  /**
   * A basic-auth user with a role (None, Viewer, Editor, Admin) in one org; repeat for more orgs.
   */
  public FakeGrafana addUser(String login, String password, long orgId, String role) {
    state.addUser(login, password, orgId, role);
    return this;
  }

  /** A service account as POST /api/serviceaccounts would create it; returns its id. */
  public long createServiceAccount(long orgId, String name, String role) {
    synchronized (state) {
      if (!state.orgs.containsKey(orgId)) {
        throw new IllegalArgumentException("no org " + orgId);
      }
      return state
          .createServiceAccount(orgId, name, role, false)
          .orElseThrow(
              () ->
                  new IllegalStateException("service account " + name + " exists in org " + orgId))
          .id;
    }
  }

  /** Creates an Admin service account with a non-expiring token in the org; returns that key. */
  public String mintAdminToken(long orgId) {
    int n = adminSequence.incrementAndGet();
    long saId = createServiceAccount(orgId, "operator-admin-" + n, "Admin");
    return mintToken(saId, "operator-admin-" + n, 0);
  }

  /** A token on an existing service account, bypassing the API's limits; returns its key. */
  public String mintToken(long serviceAccountId, String name, long secondsToLive) {
    synchronized (state) {
      Sa sa = state.serviceAccounts.get(serviceAccountId);
      if (sa == null) {
        throw new IllegalArgumentException("no service account " + serviceAccountId);
      }
      if (state.tokenNameTaken(sa.orgId, name)) {
        throw new IllegalStateException("token name " + name + " taken in org " + sa.orgId);
      }
      return state.insertToken(sa, name, secondsToLive).getValue();
    }
  }

  // ---- inspection and out-of-band changes -----------------------------------------------------

  /** Every token of the org, by id. */
  public List<TokenSnapshot> tokens(long orgId) {
    synchronized (state) {
      return state.tokens.values().stream()
          .filter(t -> t.orgId == orgId)
          .sorted(Comparator.comparingLong((Tok t) -> t.id))
          .map(Tok::snapshot)
          .toList();
    }
  }

  /** Every token of one service account, by id. */
  public List<TokenSnapshot> tokensOf(long serviceAccountId) {
    synchronized (state) {
      return state.tokens.values().stream()
          .filter(t -> t.saId == serviceAccountId)
          .sorted(Comparator.comparingLong((Tok t) -> t.id))
          .map(Tok::snapshot)
          .toList();
    }
  }

  public Optional<TokenSnapshot> token(long tokenId) {
    synchronized (state) {
      return Optional.ofNullable(state.tokens.get(tokenId)).map(Tok::snapshot);
    }
  }

  public List<ServiceAccountSnapshot> serviceAccounts(long orgId) {
    synchronized (state) {
      return state.serviceAccounts.values().stream()
          .filter(sa -> sa.orgId == orgId)
          .map(Sa::snapshot)
          .toList();
    }
  }

  public Optional<ServiceAccountSnapshot> serviceAccount(long id) {
    synchronized (state) {
      return Optional.ofNullable(state.serviceAccounts.get(id)).map(Sa::snapshot);
    }
  }

  /**
   * True iff the key maps to an existing, unexpired, unrevoked token of an enabled service account.
   */
  public boolean authenticates(String key) {
    return state.authenticates(key);
  }

  /** What secret scanning does to a leaked token: isRevoked, 401 api-key.revoked from now on. */
  public void revokeBySecretScan(long tokenId) {
    synchronized (state) {
      Tok tok = state.tokens.get(tokenId);
      if (tok == null) {
        throw new IllegalArgumentException("no token " + tokenId);
      }
      tok.revoked = true;
    }
  }

  /** Deletes a token as a user in the UI would; true when it existed. */
  public boolean deleteTokenOutOfBand(long tokenId) {
    return state.deleteToken(tokenId);
  }

  /** Deletes a service account and its tokens as a user in the UI would. */
  public boolean deleteServiceAccountOutOfBand(long serviceAccountId) {
    return state.deleteServiceAccount(serviceAccountId);
  }

  /** Renames a service account; like Grafana, its login stays. */
  public void renameServiceAccount(long serviceAccountId, String newName) {
    synchronized (state) {
      existing(serviceAccountId).name = newName;
    }
  }

  /** Tokens of a disabled account answer 401 identity.disabled. */
  public void setServiceAccountDisabled(long serviceAccountId, boolean disabled) {
    synchronized (state) {
      existing(serviceAccountId).disabled = disabled;
    }
  }

  /** Requests received for op since start or the last reset, faulted ones included. */
  public long requestCount(Operation op) {
    return handler.count(op);
  }

  public void resetCounters() {
    handler.resetCounters();
  }

  /** The last (up to 1000) requests, oldest first. */
  public List<RecordedRequest> requests() {
    return handler.recorded();
  }

  /** Stops the server at once; held requests are released and dropped. */
  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private Sa existing(long serviceAccountId) {
    Sa sa = state.serviceAccounts.get(serviceAccountId);
    if (sa == null) {
      throw new IllegalArgumentException("no service account " + serviceAccountId);
    }
    return sa;
  }
}
