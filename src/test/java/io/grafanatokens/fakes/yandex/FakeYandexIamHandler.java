package io.grafanatokens.fakes.yandex;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.grafanatokens.fakes.OperationQueues;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Routes requests to the endpoints, counts them and injects faults; the HTTP plumbing of the fake.
 */
final class FakeYandexIamHandler implements HttpHandler {
  static final String METADATA_PATH = "/computeMetadata/v1/instance/service-accounts/default/token";
  static final String EXCHANGE_PATH = "/oauth/token";

  private final FakeYandexIamApi api;
  private final CountDownLatch closing;
  private final Map<YandexOperation, AtomicLong> requests = new EnumMap<>(YandexOperation.class);
  private final Map<YandexOperation, AtomicLong> faultsServed =
      new EnumMap<>(YandexOperation.class);
  private final OperationQueues<YandexOperation, YandexFault> faults =
      new OperationQueues<>(YandexOperation.class);
  private volatile Duration defaultHold = Duration.ofSeconds(5);

  FakeYandexIamHandler(FakeYandexIamApi api, CountDownLatch closing) {
    this.api = api;
    this.closing = closing;
    for (YandexOperation op : YandexOperation.values()) {
      requests.put(op, new AtomicLong());
      faultsServed.put(op, new AtomicLong());
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String body = readAll(exchange.getRequestBody());
      YandexOperation op =
          route(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
      requests.get(op).incrementAndGet();
      YandexFault fault = nextFault(op);
      if (fault != null) {
        faultsServed.get(op).incrementAndGet();
        if (fault.kind() == YandexFault.Kind.TIMEOUT) {
          // sit on the request past the client's timeout, act on nothing, then hang up
          awaitQuietly(fault.hold() != null ? fault.hold() : defaultHold);
          return;
        }
        send(exchange, faultReply(fault));
        return;
      }
      send(exchange, serve(op, exchange, body));
    } catch (RuntimeException e) {
      // a bug in the fake should look like an IAM 500, not hang the client
      send(exchange, Reply.rpcError(500, 13, "Internal error"));
    } finally {
      // without a response sent, close() makes the JDK server drop the connection (TIMEOUT)
      exchange.close();
    }
  }

  private Reply serve(YandexOperation op, HttpExchange exchange, String body) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    return switch (op) {
      case CREATE_TOKEN -> api.createToken(body);
      case CREATE_FOR_SERVICE_ACCOUNT -> api.createForServiceAccount(authorization, body);
      case REVOKE -> api.revoke(authorization, body);
      case TOKEN_EXCHANGE ->
          api.exchange(exchange.getRequestHeaders().getFirst("Content-Type"), body);
      case METADATA_TOKEN ->
          api.metadataToken(exchange.getRequestHeaders().getFirst("Metadata-Flavor"));
      case UNKNOWN -> Reply.rpcError(404, 5, "Not found");
    };
  }

  static YandexOperation route(String method, String path) {
    if ("POST".equals(method)) {
      switch (path) {
        case "/iam/v1/tokens":
          return YandexOperation.CREATE_TOKEN;
        case "/iam/v1/tokens:createForServiceAccount":
          return YandexOperation.CREATE_FOR_SERVICE_ACCOUNT;
        case "/iam/v1/tokens:revoke":
          return YandexOperation.REVOKE;
        case EXCHANGE_PATH:
          return YandexOperation.TOKEN_EXCHANGE;
        default:
          return YandexOperation.UNKNOWN;
      }
    }
    return "GET".equals(method) && METADATA_PATH.equals(path)
        ? YandexOperation.METADATA_TOKEN
        : YandexOperation.UNKNOWN;
  }

  private static Reply faultReply(YandexFault fault) {
    return switch (fault.kind()) {
      case HTTP_500 -> Reply.rpcError(500, 13, "Internal error");
      case HTTP_503 -> Reply.rpcError(503, 14, "Service is unavailable, try again later");
      case HTTP_504 -> Reply.rpcError(504, 4, "Deadline exceeded");
      case RATE_LIMIT_429 -> {
        Reply r = Reply.rpcError(429, 8, "Quota limit exceeded");
        yield fault.retryAfterSeconds() > 0
            ? r.withHeader("Retry-After", Long.toString(fault.retryAfterSeconds()))
            : r;
      }
      case UNAUTHENTICATED_401 -> Reply.rpcError(401, 16, "The token is invalid or has expired.");
      case TIMEOUT -> throw new IllegalStateException("TIMEOUT is not answered");
    };
  }

  void failNext(YandexOperation op, YandexFault fault, int times) {
    faults.add(op, fault, times);
  }

  void clearFaults() {
    faults.clear();
  }

  private YandexFault nextFault(YandexOperation op) {
    return faults.next(op);
  }

  void defaultHold(Duration hold) {
    this.defaultHold = hold;
  }

  long requests(YandexOperation op) {
    return requests.get(op).get();
  }

  long faultsServed(YandexOperation op) {
    return faultsServed.get(op).get();
  }

  void resetCounters() {
    requests.values().forEach(c -> c.set(0));
    faultsServed.values().forEach(c -> c.set(0));
  }

  /**
   * The JDK server stamps Date with the system clock and overrides any Date set here, so times in
   * the body are rendered on that same clock (see {@link Reply}).
   */
  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    byte[] body = reply.body().apply(Instant.now()).getBytes(StandardCharsets.UTF_8);
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

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
