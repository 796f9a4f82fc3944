package io.grafanatokens.fakes.yandex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.grafanatokens.fakes.yandex.FakeYandexIamState.Grant;
import io.grafanatokens.fakes.yandex.FakeYandexIamState.Tok;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process Yandex Cloud IAM on 127.0.0.1 — token creation from authorized-key JWTs,
 * createForServiceAccount with a tokenCreator grant table, revoke, the workload identity token
 * exchange and the metadata service — answering as docs/provider-apis.md#yandex-cloud-iam
 * describes, with knobs, fault injection and inspection for tests and the sandbox. Free of JUnit;
 * thread-safe.
 *
 * <p>Times: expiry, youth and JWT checks use the injected clock. The JDK server stamps every
 * answer's Date header with the system clock, so expiresAt is written on that clock as "Date +
 * remaining lifetime": to a client with another clock this is an IAM whose clock is skewed, which
 * the L = expiresAt - Date of docs/reference.md#rotation-timing is immune to.
 */
public final class FakeYandexIam implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final FakeYandexIamState state;
  private final FakeYandexIamHandler handler;
  private final String baseUrl;

  private FakeYandexIam(Builder b) throws IOException {
    this.state = new FakeYandexIamState(b.clock, b.tokenLifetime);
    this.handler = new FakeYandexIamHandler(new FakeYandexIamApi(state), closing);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 0);
    server.createContext("/", handler);
    AtomicInteger threads = new AtomicInteger();
    // several threads: a held (TIMEOUT) request must not stall the others; daemon threads so a
    // sandbox main can exit
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-yandex-iam-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A fake on a random port, on the system clock, with 12-hour tokens. */
  public static FakeYandexIam start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options fixed at start: clock, port, token lifetime. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private int port;
    private Duration tokenLifetime = Duration.ofHours(12);

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** 0 (default) picks a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Lifetime of every IAM token issued (default 12 h, IAM's maximum). */
    public Builder tokenLifetime(Duration lifetime) {
      this.tokenLifetime = lifetime;
      return this;
    }

    public FakeYandexIam start() {
      try {
        return new FakeYandexIam(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the fake Yandex IAM", e);
      }
    }
  }

  // ---- endpoints --------------------------------------------------------------------------------

  /** http://127.0.0.1:port: the IAM endpoint (YC_IAM_ENDPOINT, spec.yandexCloud.endpoint). */
  public String iamEndpoint() {
    return baseUrl;
  }

  /** The token-exchange URL (YC_TOKEN_EXCHANGE_ENDPOINT). */
  public String tokenExchangeUrl() {
    return baseUrl + FakeYandexIamHandler.EXCHANGE_PATH;
  }

  /** The metadata service's token URL (YC_METADATA_URL). */
  public String metadataUrl() {
    return baseUrl + FakeYandexIamHandler.METADATA_PATH;
  }

  /** The operator settings that point every Yandex endpoint here. */
  public Map<String, String> operatorEnv(Path workloadTokenFile) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("YC_IAM_ENDPOINT", iamEndpoint());
    env.put("YC_TOKEN_EXCHANGE_ENDPOINT", tokenExchangeUrl());
    env.put("YC_METADATA_URL", metadataUrl());
    env.put("YC_WORKLOAD_TOKEN_PATH", workloadTokenFile.toString());
    return env;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  // ---- setup ------------------------------------------------------------------------------------

  /** Registers a service account. */
  public FakeYandexIam addServiceAccount(String serviceAccountId) {
    synchronized (state) {
      state.serviceAccounts.add(serviceAccountId);
    }
    return this;
  }

  /** A new RSA-2048 authorized key of the (registered) service account, as its key file. */
  public AuthorizedKeyFile createAuthorizedKey(String serviceAccountId) {
    KeyPair pair = rsa2048();
    String keyId = FakeYandexIamState.newId("aje");
    synchronized (state) {
      if (!state.serviceAccounts.contains(serviceAccountId)) {
        throw new IllegalArgumentException("no service account " + serviceAccountId);
      }
      state.keys.put(keyId, (RSAPublicKey) pair.getPublic());
      state.keyAccounts.put(keyId, serviceAccountId);
    }
    String privatePem =
        "PLEASE DO NOT REMOVE THIS LINE! Yandex.Cloud SA Key ID <"
            + keyId
            + ">\n"
            + pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
    String created = FakeYandexIamApi.format(state.now());
    Map<String, String> snake = new LinkedHashMap<>();
    snake.put("id", keyId);
    snake.put("service_account_id", serviceAccountId);
    snake.put("created_at", created);
    snake.put("key_algorithm", "RSA_2048");
    snake.put("public_key", publicPem);
    snake.put("private_key", privatePem);
    Map<String, String> camel = new LinkedHashMap<>();
    camel.put("id", keyId);
    camel.put("serviceAccountId", serviceAccountId);
    camel.put("createdAt", created);
    camel.put("keyAlgorithm", "RSA_2048");
    camel.put("publicKey", publicPem);
    camel.put("privateKey", privatePem);
    return new AuthorizedKeyFile(
        keyId, serviceAccountId, (RSAPublicKey) pair.getPublic(), write(snake), write(camel));
  }

  /** Deletes an authorized key: JWTs signed with it are refused from now on. */
  public FakeYandexIam deleteAuthorizedKey(String keyId) {
    synchronized (state) {
      state.keys.remove(keyId);
      state.keyAccounts.remove(keyId);
    }
    return this;
  }

  /** Deletes a service account: its tokens stop authenticating, minting for it is 404. */
  public FakeYandexIam deleteServiceAccount(String serviceAccountId) {
    synchronized (state) {
      state.serviceAccounts.remove(serviceAccountId);
    }
    return this;
  }

  /** Grants iam.serviceAccounts.tokenCreator on target to caller. */
  public FakeYandexIam grantTokenCreator(
      String callerServiceAccountId, String targetServiceAccountId) {
    synchronized (state) {
      state.grants.add(new Grant(callerServiceAccountId, targetServiceAccountId));
    }
    return this;
  }

  public FakeYandexIam revokeTokenCreator(
      String callerServiceAccountId, String targetServiceAccountId) {
    synchronized (state) {
      state.grants.remove(new Grant(callerServiceAccountId, targetServiceAccountId));
    }
    return this;
  }

  /**
   * A federated credential: this Kubernetes service-account token (the projected JWT's value) is
   * exchanged for the service account, with audience = that account's id.
   */
  public FakeYandexIam federateKubernetesToken(String kubernetesToken, String serviceAccountId) {
    synchronized (state) {
      state.federatedKubernetesTokens.put(kubernetesToken, serviceAccountId);
    }
    return this;
  }

  /** The service account the metadata service hands out tokens of (none by default: 404). */
  public FakeYandexIam attachToMetadataService(String serviceAccountId) {
    synchronized (state) {
      state.metadataAccount = serviceAccountId;
    }
    return this;
  }

  /** A Yandex account's OAuth token accepted as {"yandexPassportOauthToken"} for subject. */
  public FakeYandexIam addOAuthToken(String oauthToken, String subjectId) {
    synchronized (state) {
      state.oauthTokens.put(oauthToken, subjectId);
    }
    return this;
  }

  // ---- knobs ------------------------------------------------------------------------------------

  /** Lifetime of tokens issued from now on. */
  public FakeYandexIam tokenLifetime(Duration lifetime) {
    synchronized (state) {
      state.tokenLifetime = lifetime;
    }
    return this;
  }

  /**
   * createForServiceAccount returns a target's last token again while it is younger than age (0 =
   * off).
   */
  public FakeYandexIam reuseTokensYoungerThan(Duration age) {
    synchronized (state) {
      state.reuseYoungerThan = age;
    }
    return this;
  }

  /**
   * The next n createForServiceAccount answers repeat the target's last valid token ("the same
   * token twice").
   */
  public FakeYandexIam returnSameTokenNext(int n) {
    synchronized (state) {
      state.repeatNext = n;
    }
    return this;
  }

  /** How long a TIMEOUT fault holds a request when it names no duration (default 5 s). */
  public FakeYandexIam timeoutHold(Duration hold) {
    handler.defaultHold(hold);
    return this;
  }

  /** The next request for op fails with the fault. */
  public FakeYandexIam failNext(YandexOperation op, YandexFault fault) {
    return failNext(op, fault, 1);
  }

  /** The next `times` requests for op fail with the fault. */
  public FakeYandexIam failNext(YandexOperation op, YandexFault fault, int times) {
    handler.failNext(op, fault, times);
    return this;
  }

  public FakeYandexIam clearFaults() {
    handler.clearFaults();
    return this;
  }

  // ---- inspection and out-of-band changes -------------------------------------------------------

  /**
   * True iff the token was issued here and is unexpired, unrevoked, and its subject still exists.
   */
  public boolean authenticates(String token) {
    synchronized (state) {
      return state.authenticates(token);
    }
  }

  /** True iff the token was revoked through tokens:revoke. */
  public boolean wasRevoked(String token) {
    synchronized (state) {
      return state.revoked.contains(token);
    }
  }

  /** How many tokens tokens:revoke has revoked. */
  public int revokedCount() {
    synchronized (state) {
      return state.revoked.size();
    }
  }

  /** The distinct tokens createForServiceAccount minted for the target, oldest first. */
  public List<String> tokensMintedFor(String targetServiceAccountId) {
    synchronized (state) {
      return List.copyOf(state.mintedFor.getOrDefault(targetServiceAccountId, List.of()));
    }
  }

  /** Every JWT POST /iam/v1/tokens received, oldest first. */
  public List<String> receivedJwts() {
    synchronized (state) {
      return List.copyOf(state.receivedJwts);
    }
  }

  /** Requests received for op (faulted ones included). */
  public long requestCount(YandexOperation op) {
    return handler.requests(op);
  }

  /** Requests for op answered with an injected fault. */
  public long faultsInjected(YandexOperation op) {
    return handler.faultsServed(op);
  }

  /** Every request to any endpoint. */
  public long totalRequests() {
    long n = 0;
    for (YandexOperation op : YandexOperation.values()) {
      n += handler.requests(op);
    }
    return n;
  }

  public FakeYandexIam resetCounters() {
    handler.resetCounters();
    return this;
  }

  /** Revokes every token of a subject out of band (e.g. the operator's own cached token). */
  public FakeYandexIam revokeTokensOf(String subjectId) {
    synchronized (state) {
      for (Tok t : state.tokens.values()) {
        if (t.subjectId.equals(subjectId)) {
          t.revoked = true;
        }
      }
    }
    return this;
  }

  public Clock clock() {
    return state.clock;
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private static KeyPair rsa2048() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static String write(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
