package io.grafanatokens.fakes.amg;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.grafanatokens.fakes.OperationQueues;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side of the fake: the SigV4 scope check (403 otherwise), injected faults, routing of the
 * six paths with percent-decoded labels, and rest-json answers that always carry x-amzn-RequestId
 * (docs/provider-apis.md#amg-errors).
 */
final class FakeAmgHandler implements HttpHandler {
  private static final int MAX_RECORDED = 2000;

  private final FakeAmgApi api;
  private final String region;
  private final Map<AmgOperation, AtomicLong> counters = new EnumMap<>(AmgOperation.class);
  private final OperationQueues<AmgOperation, AmgFault> faults =
      new OperationQueues<>(AmgOperation.class);
  private final Deque<AmgRecordedRequest> recorded = new ArrayDeque<>();
  private final Set<String> acceptedAccessKeys = new LinkedHashSet<>();
  private final CountDownLatch closing;

  FakeAmgHandler(FakeAmgState state, String region, CountDownLatch closing) {
    this.closing = closing;
    this.api = new FakeAmgApi(state);
    this.region = region;
    for (AmgOperation op : AmgOperation.values()) {
      counters.put(op, new AtomicLong());
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = readAll(exchange.getRequestBody());
      FakeAmgApi.Call call = route(exchange, body);
      counters.get(call.operation()).incrementAndGet();
      Optional<AmgReply> refused = checkSignature(exchange, call.operation());
      if (refused.isPresent()) {
        send(exchange, refused.get());
        return;
      }
      AmgFault fault = nextFault(call.operation());
      if (fault != null && fault.kind() == AmgFault.Kind.HOLD) {
        // sit on the request past the client's timeout, act on nothing, then hang up
        closing.await(fault.hold().toMillis(), TimeUnit.MILLISECONDS);
        return;
      }
      if (fault != null && fault.kind() != AmgFault.Kind.DROP_AFTER_CREATE) {
        send(exchange, faultReply(fault, call));
        return;
      }
      AmgReply reply = api.serve(call);
      if (fault != null) {
        // DROP_AFTER_CREATE: the work is done; closing without a response makes the JDK server
        // drop the connection, so the client sees EOF and no answer.
        return;
      }
      send(exchange, reply);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // A bug in the fake should look like a service fault, not hang the client.
      send(
          exchange,
          AmgReply.error(500, "InternalServerException", "fake AMG failed: " + e, Map.of()));
    } finally {
      exchange.close();
    }
  }

  /**
   * docs/provider-apis.md#amg-operations: six routes; labels percent-decoded, a literal '+' kept.
   */
  private FakeAmgApi.Call route(HttpExchange exchange, byte[] body) {
    String method = exchange.getRequestMethod();
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String[] s = exchange.getRequestURI().getRawPath().split("/", -1);
    AmgOperation op = AmgOperation.UNKNOWN;
    String ws = s.length > 2 ? decode(s[2]) : null;
    String sa = s.length > 4 ? decode(s[4]) : null;
    String token = s.length > 6 ? decode(s[6]) : null;
    boolean prefix =
        s.length >= 4
            && s[0].isEmpty()
            && s[1].equals("workspaces")
            && s[3].equals("serviceaccounts");
    if (prefix && s.length == 4) {
      op =
          method.equals("POST")
              ? AmgOperation.CREATE_SERVICE_ACCOUNT
              : method.equals("GET") ? AmgOperation.LIST_SERVICE_ACCOUNTS : AmgOperation.UNKNOWN;
    } else if (prefix && s.length == 5 && !sa.isEmpty() && method.equals("DELETE")) {
      op = AmgOperation.DELETE_SERVICE_ACCOUNT;
    } else if (prefix && s.length == 6 && !sa.isEmpty() && s[5].equals("tokens")) {
      op =
          method.equals("POST")
              ? AmgOperation.CREATE_TOKEN
              : method.equals("GET") ? AmgOperation.LIST_TOKENS : AmgOperation.UNKNOWN;
    } else if (prefix
        && s.length == 7
        && !sa.isEmpty()
        && s[5].equals("tokens")
        && !token.isEmpty()
        && method.equals("DELETE")) {
      op = AmgOperation.DELETE_TOKEN;
    }
    return new FakeAmgApi.Call(op, ws, sa, token, query, body);
  }

  /**
   * Every request must be SigV4-signed for this region and service grafana; refusals are recorded.
   */
  private Optional<AmgReply> checkSignature(HttpExchange exchange, AmgOperation op) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String amzDate = exchange.getRequestHeaders().getFirst("X-Amz-Date");
    Optional<SigV4Authorization> scope = SigV4Authorization.parse(header);
    AmgReply refusal = null;
    if (header == null) {
      refusal =
          AmgReply.error(
              403, "MissingAuthenticationTokenException", "Missing Authentication Token", Map.of());
    } else if (scope.isEmpty()) {
      refusal =
          AmgReply.error(
              403,
              "IncompleteSignatureException",
              "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' (AWS4-HMAC-SHA256)",
              Map.of());
    } else if (!scope.get().service().equals("grafana")) {
      refusal =
          AmgReply.error(
              403,
              "InvalidSignatureException",
              "Credential should be scoped to correct service: 'grafana'.",
              Map.of());
    } else if (!scope.get().region().equals(region)) {
      refusal =
          AmgReply.error(
              403,
              "InvalidSignatureException",
              "Credential should be scoped to a valid region, not '" + scope.get().region() + "'.",
              Map.of());
    } else if (amzDate == null || !amzDate.startsWith(scope.get().date())) {
      refusal =
          AmgReply.error(
              403,
              "InvalidSignatureException",
              "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP",
              Map.of());
    } else if (!acceptsAccessKey(scope.get().accessKeyId())) {
      refusal =
          AmgReply.error(
              403,
              "UnrecognizedClientException",
              "The security token included in the request is invalid.",
              Map.of());
    }
    record(exchange, op, scope.orElse(null), refusal == null ? null : refusal.errorType());
    return Optional.ofNullable(refusal);
  }

  private AmgReply faultReply(AmgFault fault, FakeAmgApi.Call call) {
    switch (fault.kind()) {
      case THROTTLING:
        return AmgReply.error(
                429, "ThrottlingException", "Rate exceeded", Map.of("serviceCode", "grafana"))
            .withRetryAfter(fault.retryAfterSeconds());
      case INTERNAL_SERVER:
        return AmgReply.error(500, "InternalServerException", "Internal server error", Map.of())
            .withRetryAfter(fault.retryAfterSeconds());
      case QUOTA_EXCEEDED:
        return FakeAmgApi.quotaExceeded(call.serviceAccountId());
      case ACCESS_DENIED:
        return AmgReply.error(
            403,
            "AccessDeniedException",
            "User: arn:aws:sts::111122223333:assumed-role/operator/"
                + "session is not authorized to perform: grafana:"
                + action(call.operation())
                + " on resource: arn:aws:grafana:"
                + region
                + ":111122223333:/workspaces/"
                + call.workspaceId(),
            Map.of());
      case ERROR:
        return AmgReply.error(fault.status(), fault.errorType(), fault.message(), Map.of());
      case VALIDATION:
        return AmgReply.invalidField(fault.errorType(), fault.message());
      default:
        throw new IllegalStateException("not a reply fault: " + fault);
    }
  }

  private static String action(AmgOperation op) {
    switch (op) {
      case CREATE_SERVICE_ACCOUNT:
        return "CreateWorkspaceServiceAccount";
      case LIST_SERVICE_ACCOUNTS:
        return "ListWorkspaceServiceAccounts";
      case DELETE_SERVICE_ACCOUNT:
        return "DeleteWorkspaceServiceAccount";
      case CREATE_TOKEN:
        return "CreateWorkspaceServiceAccountToken";
      case LIST_TOKENS:
        return "ListWorkspaceServiceAccountTokens";
      case DELETE_TOKEN:
        return "DeleteWorkspaceServiceAccountToken";
      default:
        return "Unknown";
    }
  }

  // ---- knobs and inspection, used by FakeAmg ------------------------------------------------

  void failNext(AmgOperation op, AmgFault fault, int times) {
    faults.add(op, fault, times);
  }

  void clearFaults() {
    faults.clear();
  }

  void acceptOnly(Set<String> accessKeyIds) {
    synchronized (acceptedAccessKeys) {
      acceptedAccessKeys.clear();
      acceptedAccessKeys.addAll(accessKeyIds);
    }
  }

  private boolean acceptsAccessKey(String accessKeyId) {
    synchronized (acceptedAccessKeys) {
      return acceptedAccessKeys.isEmpty() || acceptedAccessKeys.contains(accessKeyId);
    }
  }

  long count(AmgOperation op) {
    return counters.get(op).get();
  }

  long total() {
    return counters.values().stream().mapToLong(AtomicLong::get).sum();
  }

  void resetCounters() {
    counters.values().forEach(c -> c.set(0));
    synchronized (recorded) {
      recorded.clear();
    }
  }

  List<AmgRecordedRequest> recorded() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  private AmgFault nextFault(AmgOperation op) {
    return faults.next(op);
  }

  private void record(
      HttpExchange exchange, AmgOperation op, SigV4Authorization scope, String rejected) {
    String raw = exchange.getRequestURI().getRawPath();
    String q = exchange.getRequestURI().getRawQuery();
    AmgRecordedRequest request =
        new AmgRecordedRequest(
            op,
            exchange.getRequestMethod(),
            q == null ? raw : raw + "?" + q,
            scope == null ? null : scope.accessKeyId(),
            scope == null ? null : scope.region(),
            exchange.getRequestHeaders().getFirst("X-Amz-Security-Token"),
            exchange.getRequestHeaders().getFirst("amz-sdk-request"),
            rejected);
    synchronized (recorded) {
      if (recorded.size() >= MAX_RECORDED) {
        recorded.removeFirst();
      }
      recorded.addLast(request);
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private static void send(HttpExchange exchange, AmgReply reply) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    if (reply.errorType() != null) {
      exchange
          .getResponseHeaders()
          .set("x-amzn-ErrorType", reply.errorType() + AmgReply.CORAL_SUFFIX);
    }
    if (reply.retryAfterSeconds() > 0) {
      exchange.getResponseHeaders().set("Retry-After", Long.toString(reply.retryAfterSeconds()));
    }
    byte[] body = reply.body();
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Percent-decoding of a path label; unlike form decoding, '+' stays a plus. */
  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> out = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }
}
