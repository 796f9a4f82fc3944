package io.grafanatokens.fakes.grafana;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.grafanatokens.fakes.OperationQueues;
import io.grafanatokens.fakes.grafana.FakeGrafanaState.Auth;
import io.grafanatokens.fakes.grafana.FakeGrafanaState.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side of the fake: routing, injected faults, and Grafana's middleware order authn → UID
 * resolver → RBAC → handler (docs/provider-apis.md#grafana-requests).
 */
final class FakeGrafanaHandler implements HttpHandler {
  private static final int MAX_RECORDED = 1000;

  private final FakeGrafanaState state;
  private final FakeGrafanaApi api;
  private final String basePath;
  private final CountDownLatch closing;
  private final Map<Operation, AtomicLong> counters = new EnumMap<>(Operation.class);
  private final OperationQueues<Operation, Fault> faults = new OperationQueues<>(Operation.class);
  private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
  private final OperationQueues<Operation, Runnable> hooks = new OperationQueues<>(Operation.class);
  private volatile Duration defaultHold = Duration.ofSeconds(5);

  FakeGrafanaHandler(FakeGrafanaState state, String basePath, CountDownLatch closing) {
    this.state = state;
    this.api = new FakeGrafanaApi(state);
    this.basePath = basePath;
    this.closing = closing;
    for (Operation op : Operation.values()) {
      counters.put(op, new AtomicLong());
    }
  }

  /**
   * A matched route: the operation, the RBAC action it needs (null: signed-in only), and path ids.
   */
  private record Route(Operation operation, String action, String id, String tokenId) {}

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      byte[] body = readAll(exchange.getRequestBody());
      Route route = route(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
      counters.get(route.operation()).incrementAndGet();
      record(exchange, route.operation());
      Fault fault = nextFault(route.operation());
      if (fault != null && fault.kind() == Fault.Kind.TIMEOUT) {
        // Sit on the request past the client's timeout, act on nothing, then hang up.
        Duration hold = fault.hold() != null ? fault.hold() : defaultHold;
        awaitQuietly(hold);
        return;
      }
      if (fault != null && fault.kind() != Fault.Kind.DROP_AFTER_CREATE) {
        send(exchange, faultReply(fault));
        return;
      }
      Runnable hook = nextHook(route.operation());
      if (hook != null) {
        hook.run();
      }
      Reply reply = serve(exchange, route, body);
      if (fault != null) {
        // DROP_AFTER_CREATE: the work is done; closing without sendResponseHeaders makes the
        // JDK server close the connection, so the client sees EOF and no answer.
        return;
      }
      send(exchange, reply);
    } catch (RuntimeException e) {
      // A bug in the fake should look like a Grafana 500, not hang the client.
      send(exchange, Reply.legacy(500, "Internal server error", true));
    } finally {
      // Without a response sent, close() makes the JDK server close the connection: the client
      // sees EOF (the TIMEOUT and DROP_AFTER_CREATE faults rely on this).
      exchange.close();
    }
  }

  private Reply serve(HttpExchange exchange, Route route, byte[] body) {
    if (route.operation() == Operation.UNKNOWN) {
      return Reply.notFound();
    }
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    Auth auth =
        state.authenticate(
            exchange.getRequestHeaders().getFirst("Authorization"), requestedOrg(exchange, query));
    long id = 0;
    if (route.id() != null) {
      Long numeric = parseLong(route.id());
      if (numeric == null) {
        // The UID resolver runs before the 401 check: a miss is 404 even without credentials.
        if (auth.identity() == null) {
          return Reply.notFound();
        }
        numeric = state.resolveUid(auth.identity().orgId(), route.id()).orElse(null);
        if (numeric == null) {
          return Reply.notFound();
        }
      }
      id = numeric;
    }
    if (auth.identity() == null) {
      return auth.failure();
    }
    Identity caller = auth.identity();
    if (route.action() != null && !"Admin".equals(caller.role())) {
      return Reply.accessDenied(route.action(), state.newAccessErrorId());
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    switch (route.operation()) {
      case SEARCH:
        return api.search(caller, query);
      case CREATE_SA:
        return api.createServiceAccount(caller, contentType, body);
      case GET_SA:
        return api.getServiceAccount(caller, id);
      case UPDATE_SA:
        return api.updateServiceAccount(caller, id, contentType, body);
      case DELETE_SA:
        return api.deleteServiceAccount(caller, id);
      case LIST_TOKENS:
        return api.listTokens(caller, id);
      case CREATE_TOKEN:
        return api.createToken(caller, id, contentType, body);
      case DELETE_TOKEN:
        return api.deleteToken(caller, id, route.tokenId());
      case CURRENT_USER:
        return api.currentUser(caller);
      case CURRENT_ORG:
        return api.currentOrg(caller);
      default:
        return Reply.notFound();
    }
  }

  private Route route(String method, String rawPath) {
    Route unknown = new Route(Operation.UNKNOWN, null, null, null);
    if (!rawPath.startsWith(basePath + "/api/")) {
      return unknown;
    }
    String rest = rawPath.substring(basePath.length() + "/api/".length());
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    List<String> s = List.of(rest.split("/", -1));
    if (s.equals(List.of("user")) && method.equals("GET")) {
      return new Route(Operation.CURRENT_USER, null, null, null);
    }
    if (s.equals(List.of("org")) && method.equals("GET")) {
      return new Route(Operation.CURRENT_ORG, null, null, null);
    }
    if (s.isEmpty() || !s.get(0).equals("serviceaccounts")) {
      return unknown;
    }
    if (s.size() == 1 && method.equals("POST")) {
      return new Route(Operation.CREATE_SA, "serviceaccounts:create", null, null);
    }
    if (s.size() == 2 && s.get(1).equals("search") && method.equals("GET")) {
      return new Route(Operation.SEARCH, "serviceaccounts:read", null, null);
    }
    if (s.size() == 2 && !s.get(1).isEmpty()) {
      switch (method) {
        case "GET":
          return new Route(Operation.GET_SA, "serviceaccounts:read", s.get(1), null);
        case "PATCH":
          return new Route(Operation.UPDATE_SA, "serviceaccounts:write", s.get(1), null);
        case "DELETE":
          return new Route(Operation.DELETE_SA, "serviceaccounts:delete", s.get(1), null);
        default:
          return unknown;
      }
    }
    if (s.size() == 3 && s.get(2).equals("tokens") && !s.get(1).isEmpty()) {
      if (method.equals("GET")) {
        return new Route(Operation.LIST_TOKENS, "serviceaccounts:read", s.get(1), null);
      }
      if (method.equals("POST")) {
        // Creating a token needs :write on the account, not :create.
        return new Route(Operation.CREATE_TOKEN, "serviceaccounts:write", s.get(1), null);
      }
    }
    if (s.size() == 4
        && s.get(2).equals("tokens")
        && method.equals("DELETE")
        && !s.get(1).isEmpty()) {
      return new Route(Operation.DELETE_TOKEN, "serviceaccounts:write", s.get(1), s.get(3));
    }
    return unknown;
  }

  private static Reply faultReply(Fault fault) {
    switch (fault.kind()) {
      case HTTP_500:
        return Reply.legacy(500, "Internal server error", true);
      case HTTP_503:
        return Reply.text(503, "upstream connect error or disconnect/reset before headers");
      case UNAUTHORIZED_401:
        return Reply.unauthorized("api-key.invalid", "Invalid API key");
      case RATE_LIMIT_429:
        return Reply.text(429, "Too Many Requests")
            .withHeader("Retry-After", Long.toString(fault.retryAfterSeconds()));
      default:
        throw new IllegalStateException("not a reply fault: " + fault);
    }
  }

  // ---- knobs and inspection, used by FakeGrafana ------------------------------------------

  void failNext(Operation op, Fault fault, int times) {
    faults.add(op, fault, times);
  }

  void clearFaults() {
    faults.clear();
    hooks.clear();
  }

  void beforeNext(Operation op, Runnable action) {
    hooks.add(op, action, 1);
  }

  private Runnable nextHook(Operation op) {
    return hooks.next(op);
  }

  void defaultHold(Duration hold) {
    this.defaultHold = hold;
  }

  long count(Operation op) {
    return counters.get(op).get();
  }

  void resetCounters() {
    counters.values().forEach(c -> c.set(0));
    synchronized (recorded) {
      recorded.clear();
    }
  }

  List<RecordedRequest> recorded() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  private Fault nextFault(Operation op) {
    return faults.next(op);
  }

  private void record(HttpExchange exchange, Operation op) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    String scheme = auth == null ? null : auth.split(" ", 2)[0];
    String raw = exchange.getRequestURI().getRawPath();
    String path = raw.startsWith(basePath) ? raw.substring(basePath.length()) : raw;
    String query = exchange.getRequestURI().getRawQuery();
    RecordedRequest request =
        new RecordedRequest(
            op,
            exchange.getRequestMethod(),
            query == null ? path : path + "?" + query,
            scheme,
            exchange.getRequestHeaders().getFirst("X-Grafana-Org-Id"),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            exchange.getRequestHeaders().getFirst("Accept"));
    synchronized (recorded) {
      if (recorded.size() >= MAX_RECORDED) {
        recorded.removeFirst();
      }
      recorded.addLast(request);
    }
  }

  // ---- plumbing -----------------------------------------------------------------------------

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = reply.body();
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private void awaitQuietly(Duration hold) {
    try {
      closing.await(hold.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** targetOrgId wins over X-Grafana-Org-Id; unparsable or 0 means "the identity's default". */
  private static Long requestedOrg(HttpExchange exchange, Map<String, String> query) {
    String value = query.get("targetOrgId");
    if (value == null) {
      value = exchange.getRequestHeaders().getFirst("X-Grafana-Org-Id");
    }
    Long org = value == null ? null : parseLong(value.strip());
    return org == null || org <= 0 ? null : org;
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

  private static Long parseLong(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }
}
