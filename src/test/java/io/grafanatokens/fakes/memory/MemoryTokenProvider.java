package io.grafanatokens.fakes.memory;

import io.grafanatokens.api.v1alpha1.GrafanaServiceAccountTokenSpec;
import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.IssuedToken;
import io.grafanatokens.provider.NameConflictException;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderCapabilities;
import io.grafanatokens.provider.ProviderException;
import io.grafanatokens.provider.ProviderKind;
import io.grafanatokens.provider.RevokeOutcome;
import io.grafanatokens.provider.SecretLookup;
import io.grafanatokens.provider.SessionPurpose;
import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenListing;
import io.grafanatokens.provider.TokenProvider;
import io.grafanatokens.provider.TokenSession;
import io.grafanatokens.provider.TransientProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory provider for pass-level tests, behaving like Grafana's service-account API where it
 * matters to the reconciler: every instance (spec.grafana.url) numbers its tokens from 1, so an id
 * recorded at one instance names somebody else's token at another; names are unique per account (a
 * clash is a NameConflictException); the list is capped at 300 rows; a deleted token is gone (a
 * second delete finds nothing). Failure switches fail or "kill" the next calls of an operation, so
 * each crash point of a pass is a test of milliseconds.
 */
public final class MemoryTokenProvider implements TokenProvider {
  /** The calls a pass can make. */
  public enum Op {
    CREATE,
    LIST,
    REVOKE
  }

  /** One call, for call budgets and order. */
  public record Call(Op op, String instance, String account, String token) {}

  /** A token as the provider holds it; {@link #toString()} hides the key. */
  public record Token(
      String instance,
      String account,
      String id,
      String name,
      String key,
      Instant created,
      Instant expires) {
    @Override
    public String toString() {
      return "Token[" + instance + " " + account + "/" + id + " " + name + "]";
    }
  }

  /** Thrown at a kill point: an Error, so that nothing in the pass catches it, as with kill -9. */
  public static final class Killed extends Error {
    public Killed(String where) {
      super("killed at " + where);
    }
  }

  public static final int LIST_CAP = 300;

  private final Clock clock;
  private final Map<String, AtomicLong> nextId = new HashMap<>();
  private final List<Token> tokens = new ArrayList<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  /** What the next call of an operation does instead of, or after, acting. */
  private record Fault(ProviderException failure, Killed killBefore, Killed killAfter) {}

  private final Map<Op, Deque<Fault>> faults = new EnumMap<>(Op.class);
  private final List<String> rejectedCredentials = new ArrayList<>();
  private java.util.function.BooleanSupplier dead = () -> false;
  private volatile boolean ambient;

  /** Tokens a service account may hold, expired ones counted (as AMG counts them); 0 = no limit. */
  private int quota;

  public MemoryTokenProvider(Clock clock) {
    this.clock = clock;
  }

  // ---- test controls

  /** The next {@code times} calls of {@code op} fail with this exception, before acting. */
  public synchronized MemoryTokenProvider failNext(Op op, ProviderException e, int times) {
    for (int i = 0; i < times; i++) {
      faults.computeIfAbsent(op, k -> new ArrayDeque<>()).add(new Fault(e, null, null));
    }
    return this;
  }

  /** The next call of {@code op} acts, then the process dies before it can use the answer. */
  public synchronized MemoryTokenProvider killAfterNext(Op op) {
    faults
        .computeIfAbsent(op, k -> new ArrayDeque<>())
        .add(new Fault(null, null, new Killed("after " + op)));
    return this;
  }

  /** The next call of {@code op} never happens: the process dies right before it. */
  public synchronized MemoryTokenProvider killBeforeNext(Op op) {
    faults
        .computeIfAbsent(op, k -> new ArrayDeque<>())
        .add(new Fault(null, new Killed("before " + op), null));
    return this;
  }

  /** While this says so the calling process is dead: every call is a {@link Killed}. */
  public synchronized MemoryTokenProvider deadWhile(
      java.util.function.BooleanSupplier processDead) {
    this.dead = processDead;
    return this;
  }

  /**
   * From now on specs count as asking for the operator's own identity (as AMG without a Secret
   * does).
   */
  public MemoryTokenProvider ambientIdentity(boolean on) {
    ambient = on;
    return this;
  }

  /**
   * Each service account holds at most this many tokens, expired ones included, as AMG's
   * undocumented quota counts them: a create beyond it is refused (its 402).
   */
  public synchronized MemoryTokenProvider quota(int tokensPerAccount) {
    this.quota = tokensPerAccount;
    return this;
  }

  /** Calls with this credential (the token of the credentials Secret) are answered 401. */
  public synchronized void reject(String credential) {
    rejectedCredentials.add(credential);
  }

  public synchronized void accept(String credential) {
    rejectedCredentials.remove(credential);
  }

  /** A token put there by someone else (another tool, a lost create of ours). */
  public synchronized Token mint(String instance, String account, String name, Duration lifetime) {
    return store(instance, account, name, lifetime);
  }

  /** Deleted out of band (in the UI, by secret scanning). */
  public synchronized void delete(String instance, String id) {
    tokens.removeIf(t -> t.instance().equals(instance) && t.id().equals(id));
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  public long count(Op op) {
    return calls.stream().filter(c -> c.op() == op).count();
  }

  public void clearCalls() {
    calls.clear();
  }

  public synchronized List<Token> live(String instance) {
    Instant now = clock.instant();
    return tokens.stream()
        .filter(t -> t.instance().equals(instance) && t.expires().isAfter(now))
        .toList();
  }

  public synchronized Optional<Token> byKey(String key) {
    return tokens.stream().filter(t -> t.key().equals(key)).findFirst();
  }

  public synchronized boolean works(String key) {
    return byKey(key).filter(t -> t.expires().isAfter(clock.instant())).isPresent();
  }

  // ---- TokenProvider

  @Override
  public ProviderKind kind() {
    return ProviderKind.GRAFANA;
  }

  @Override
  public ProviderCapabilities capabilities() {
    return ProviderCapabilities.LISTED_TOKENS;
  }

  @Override
  public String shapingFields(GrafanaServiceAccountTokenSpec spec) {
    return "url="
        + spec.getGrafana().getUrl()
        + "\nserviceAccount="
        + spec.getGrafana().getServiceAccount().getId();
  }

  @Override
  public String locationFields(GrafanaServiceAccountTokenSpec spec) {
    return "url=" + spec.getGrafana().getUrl();
  }

  @Override
  public Optional<String> baseUrl(GrafanaServiceAccountTokenSpec spec) {
    return Optional.of(spec.getGrafana().getUrl());
  }

  @Override
  public boolean usesAmbientCredentials(GrafanaServiceAccountTokenSpec spec) {
    return ambient;
  }

  @Override
  public void probe(GrafanaServiceAccountTokenSpec connection, SecretLookup secrets)
      throws ProviderException {
    open(connection, secrets, SessionPurpose.CLEANUP);
  }

  @Override
  public TokenSession open(
      GrafanaServiceAccountTokenSpec spec, SecretLookup secrets, SessionPurpose purpose)
      throws ProviderException {
    String secret = spec.getGrafana().getCredentialsSecretRef().getName();
    Map<String, String> data =
        secrets
            .data(secret)
            .orElseThrow(
                () ->
                    new PermanentProviderException(
                        Reasons.CREDENTIALS_NOT_FOUND,
                        "credentials Secret " + secret + " not found"));
    String credential = data.getOrDefault("token", "");
    return new Session(
        spec.getGrafana().getUrl(),
        String.valueOf(spec.getGrafana().getServiceAccount().getId()),
        credential,
        secret);
  }

  private synchronized void before(Op op, Session s, String token) throws ProviderException {
    if (dead.getAsBoolean()) {
      throw new Killed("a call after the process died");
    }
    Deque<Fault> q = faults.get(op);
    Fault f = q == null ? null : q.peekFirst();
    if (f != null && f.killBefore() != null) {
      q.pollFirst();
      throw f.killBefore();
    }
    calls.add(new Call(op, s.instance, s.account, token));
    if (f != null && f.failure() != null) {
      q.pollFirst();
      throw f.failure();
    }
    if (rejectedCredentials.contains(s.credential)) {
      throw new PermanentProviderException(
          Reasons.CREDENTIALS_REJECTED,
          "the provider rejected the credentials in " + "Secret " + s.secret);
    }
  }

  private synchronized void after(Op op) {
    Deque<Fault> q = faults.get(op);
    Fault f = q == null ? null : q.peekFirst();
    if (f != null && f.killAfter() != null) {
      q.pollFirst();
      throw f.killAfter();
    }
  }

  private Token store(String instance, String account, String name, Duration lifetime) {
    String id =
        String.valueOf(nextId.computeIfAbsent(instance, k -> new AtomicLong()).incrementAndGet());
    Instant now = clock.instant();
    Token t =
        new Token(instance, account, id, name, "key-" + UUID.randomUUID(), now, now.plus(lifetime));
    tokens.add(t);
    return t;
  }

  private final class Session implements TokenSession {
    final String instance;
    final String account;
    final String credential;
    final String secret;

    Session(String instance, String account, String credential, String secret) {
      this.instance = instance;
      this.account = account;
      this.credential = credential;
      this.secret = secret;
    }

    @Override
    public String serviceAccountId() {
      return account;
    }

    @Override
    public TokenListing list() throws ProviderException {
      return list(account);
    }

    @Override
    public TokenListing list(String listed) throws ProviderException {
      before(Op.LIST, this, null);
      List<TokenInfo> out;
      synchronized (MemoryTokenProvider.this) {
        Instant now = clock.instant();
        out =
            tokens.stream()
                .filter(t -> t.instance().equals(instance) && t.account().equals(listed))
                .limit(LIST_CAP)
                .map(
                    t ->
                        new TokenInfo(
                            t.id(),
                            t.name(),
                            t.created(),
                            t.expires(),
                            false,
                            !t.expires().isAfter(now)))
                .toList();
      }
      after(Op.LIST);
      return new TokenListing(out, out.size() < LIST_CAP);
    }

    @Override
    public IssuedToken create(String name, Duration lifetime) throws ProviderException {
      before(Op.CREATE, this, name);
      Token t;
      synchronized (MemoryTokenProvider.this) {
        if (tokens.stream()
            .anyMatch(
                x ->
                    x.instance().equals(instance)
                        && x.account().equals(account)
                        && x.name().equals(name))) {
          throw new NameConflictException("a token named " + name + " exists");
        }
        if (quota > 0
            && tokens.stream()
                    .filter(x -> x.instance().equals(instance) && x.account().equals(account))
                    .count()
                >= quota) {
          throw new PermanentProviderException(
              Reasons.QUOTA_EXCEEDED,
              "service account " + account + " has reached its token quota");
        }
        t = store(instance, account, name, lifetime);
      }
      after(Op.CREATE);
      Instant at = t.created();
      return new IssuedToken(t.id(), t.name(), t.key(), account, at, at.plus(lifetime), false);
    }

    @Override
    public RevokeOutcome revoke(String serviceAccountId, String tokenId) throws ProviderException {
      before(Op.REVOKE, this, tokenId);
      boolean removed;
      synchronized (MemoryTokenProvider.this) {
        removed = tokens.removeIf(t -> t.instance().equals(instance) && t.id().equals(tokenId));
      }
      after(Op.REVOKE);
      return removed ? RevokeOutcome.REVOKED : RevokeOutcome.ALREADY_GONE;
    }
  }

  /** A transient failure, as a 503. */
  public static TransientProviderException unavailable() {
    return new TransientProviderException(
        Reasons.PROVIDER_ERROR, "the provider answered 503", null, null);
  }

  /** A throttled call, as a 429. */
  public static TransientProviderException throttled() {
    return new TransientProviderException(
        Reasons.RATE_LIMITED, "the provider answered 429", null, null);
  }
}
