package io.grafanatokens.fakes.amg;

import com.sun.net.httpserver.HttpServer;
import io.grafanatokens.fakes.amg.FakeAmgState.Sa;
import io.grafanatokens.fakes.amg.FakeAmgState.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process Amazon Managed Grafana API (the service-account and token operations only) on
 * 127.0.0.1 that keeps state and answers the way docs/provider-apis.md#amazon-managed-grafana
 * describes, with fault injection and inspection for tests and the sandbox. Free of JUnit;
 * thread-safe.
 */
public final class FakeAmg implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final FakeAmgState state;
  private final FakeAmgHandler handler;
  private final String region;
  private final CountDownLatch closing = new CountDownLatch(1);

  private FakeAmg(Builder b) throws IOException {
    this.state = new FakeAmgState(b.clock);
    this.state.tokenQuota = b.tokenQuota;
    this.region = b.region;
    this.handler = new FakeAmgHandler(state, b.region, closing);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 0);
    server.createContext("/", handler);
    AtomicInteger threads = new AtomicInteger();
    // daemon threads so that a sandbox main can exit
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-amg-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
  }

  /** A fake for us-east-1 on a random port, on the system clock. */
  public static FakeAmg start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options fixed at start: clock, region, port, token quota. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private String region = "us-east-1";
    private int port;
    private int tokenQuota = FakeAmgState.DEFAULT_TOKEN_QUOTA;

    /** The service's time source: token creation, expiry, liveness. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** The region requests must be signed for (a regional endpoint). */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region);
      return this;
    }

    /** 0 (default) picks a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Tokens (live and expired, not deleted) one service account may hold; default 99. */
    public Builder tokenQuotaPerServiceAccount(int quota) {
      this.tokenQuota = quota;
      return this;
    }

    public FakeAmg start() {
      try {
        return new FakeAmg(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the fake AMG", e);
      }
    }
  }

  /**
   * http://127.0.0.1:port, for endpointOverride, spec.amazonManagedGrafana.endpoint or
   * AWS_ENDPOINT_URL_GRAFANA.
   */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String region() {
    return region;
  }

  public Clock clock() {
    return state.clock();
  }

  /** Replaces the service's time source. */
  public FakeAmg setClock(Clock clock) {
    state.setClock(clock);
    return this;
  }

  // ---- knobs ----------------------------------------------------------------------------------

  /** Changes the per-service-account token quota (live and expired tokens count). */
  public FakeAmg tokenQuotaPerServiceAccount(int quota) {
    synchronized (state) {
      state.tokenQuota = quota;
    }
    return this;
  }

  /**
   * Only these access key ids are recognised (403 UnrecognizedClientException otherwise); none =
   * any.
   */
  public FakeAmg acceptOnlyAccessKeys(String... accessKeyIds) {
    handler.acceptOnly(new LinkedHashSet<>(Arrays.asList(accessKeyIds)));
    return this;
  }

  /** The next request for op fails with the fault. */
  public FakeAmg failNext(AmgOperation op, AmgFault fault) {
    return failNext(op, fault, 1);
  }

  /** The next `times` requests for op fail with the fault. */
  public FakeAmg failNext(AmgOperation op, AmgFault fault, int times) {
    handler.failNext(op, fault, times);
    return this;
  }

  /** Drops pending faults. */
  public FakeAmg clearFaults() {
    handler.clearFaults();
    return this;
  }

  // ---- setup ----------------------------------------------------------------------------------

  /**
   * A new workspace with a random id g- + ten hex digits (Grafana 9+, so it has service accounts).
   */
  public String createWorkspace() {
    return state.createWorkspace(null);
  }

  /** A new workspace with this id (the fake does not check the pattern here, only in requests). */
  public String createWorkspace(String workspaceId) {
    return state.createWorkspace(Objects.requireNonNull(workspaceId));
  }

  /**
   * A service account as CreateWorkspaceServiceAccount makes it (role ADMIN, EDITOR or VIEWER);
   * returns its id.
   */
  public String createServiceAccount(String workspaceId, String name, String grafanaRole) {
    synchronized (state) {
      return state
          .createServiceAccount(existing(workspaceId), name, grafanaRole)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "service account " + name + " exists in " + workspaceId))
          .id;
    }
  }

  /** A token on an existing service account, bypassing validation and quota; returns its key. */
  public String mintToken(
      String workspaceId, String serviceAccountId, String name, long secondsToLive) {
    synchronized (state) {
      Workspace ws = existing(workspaceId);
      Sa sa = ws.serviceAccounts.get(serviceAccountId);
      if (sa == null) {
        throw new IllegalArgumentException(
            "no service account " + serviceAccountId + " in " + workspaceId);
      }
      if (ws.tokenNameTaken(name)) {
        throw new IllegalStateException("token name " + name + " taken in " + workspaceId);
      }
      return state.insertToken(ws, sa, name, secondsToLive).getValue();
    }
  }

  // ---- inspection and out-of-band changes -----------------------------------------------------

  /** The workspace is deleted with everything in it: every later call about it answers 404. */
  public void deleteWorkspace(String workspaceId) {
    synchronized (state) {
      state.workspaces.remove(workspaceId);
    }
  }

  /** Every token ever created on the service account, deleted ones included, by id. */
  public List<AmgTokenSnapshot> tokensOf(String workspaceId, String serviceAccountId) {
    return state.tokens(workspaceId, Objects.requireNonNull(serviceAccountId));
  }

  /** The service account's tokens that are neither deleted nor expired now. */
  public List<AmgTokenSnapshot> liveTokensOf(String workspaceId, String serviceAccountId) {
    return tokensOf(workspaceId, serviceAccountId).stream()
        .filter(t -> t.liveAt(state.clock().instant()))
        .toList();
  }

  /** Every token ever created in the workspace. */
  public List<AmgTokenSnapshot> tokens(String workspaceId) {
    return state.tokens(workspaceId, null);
  }

  public Optional<AmgTokenSnapshot> token(String workspaceId, String tokenId) {
    return tokens(workspaceId).stream().filter(t -> t.id().equals(tokenId)).findFirst();
  }

  public List<AmgServiceAccountSnapshot> serviceAccounts(String workspaceId) {
    synchronized (state) {
      return existing(workspaceId).serviceAccounts.values().stream().map(Sa::snapshot).toList();
    }
  }

  /**
   * True iff the key belongs to an existing, unexpired token (its Grafana workspace would accept
   * it).
   */
  public boolean authenticates(String key) {
    return state.authenticates(key);
  }

  /** Deletes a token as a user in the console would; true when it existed. */
  public boolean deleteTokenOutOfBand(String workspaceId, String serviceAccountId, String tokenId) {
    synchronized (state) {
      return state.deleteToken(existing(workspaceId), serviceAccountId, tokenId);
    }
  }

  /** Deletes a service account and its tokens as a user in the console would. */
  public boolean deleteServiceAccountOutOfBand(String workspaceId, String serviceAccountId) {
    synchronized (state) {
      return state.deleteServiceAccount(existing(workspaceId), serviceAccountId);
    }
  }

  /** Requests received for op since start or the last reset, refused and faulted ones included. */
  public long requestCount(AmgOperation op) {
    return handler.count(op);
  }

  /** Requests received for any path since start or the last reset. */
  public long totalRequests() {
    return handler.total();
  }

  public void resetCounters() {
    handler.resetCounters();
  }

  /** The last (up to 2000) requests, oldest first. */
  public List<AmgRecordedRequest> requests() {
    return handler.recorded();
  }

  /** Requests the signature check refused. */
  public List<AmgRecordedRequest> rejectedRequests() {
    return requests().stream().filter(r -> r.rejected() != null).toList();
  }

  /** The access key ids requests were signed with, in order of first appearance. */
  public Set<String> accessKeyIdsSeen() {
    Set<String> out = new LinkedHashSet<>();
    requests().stream()
        .map(AmgRecordedRequest::accessKeyId)
        .filter(Objects::nonNull)
        .forEach(out::add);
    return out;
  }

  /** Stops the server at once; held requests are released and dropped. */
  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private Workspace existing(String workspaceId) {
    return state
        .workspace(workspaceId)
        .orElseThrow(() -> new IllegalArgumentException("no workspace " + workspaceId));
  }

  /**
   * Starts a fake with one workspace and service account and prints how to reach them; Ctrl-C ends
   * it.
   */
  public static void main(String[] args) throws InterruptedException {
    FakeAmg amg = FakeAmg.builder().region(args.length > 0 ? args[0] : "us-east-1").start();
    String ws = amg.createWorkspace();
    String sa = amg.createServiceAccount(ws, "operator-demo", "VIEWER");
    System.out.println(
        "fake AMG at "
            + amg.endpoint()
            + " (region "
            + amg.region()
            + "): workspace "
            + ws
            + ", service account "
            + sa
            + "; any SigV4-signed access key is accepted");
    Thread.currentThread().join();
  }
}
