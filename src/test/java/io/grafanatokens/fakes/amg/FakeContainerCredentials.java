package io.grafanatokens.fakes.amg;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback container-credentials endpoint as the EKS Pod Identity agent (and ECS) serves it: GET
 * with the authorization token in the Authorization header, answered with session credentials. Free
 * of JUnit; thread-safe.
 */
public final class FakeContainerCredentials implements AutoCloseable {
  public static final String PATH = "/v1/credentials";
  public static final String ACCESS_KEY_ID = "ASIAFAKEPODIDENTITY1";
  public static final String SESSION_TOKEN = "pod-identity-session-token";

  private final HttpServer server;
  private final String authorizationToken;
  private final List<String> authorizationsSeen = new CopyOnWriteArrayList<>();

  private FakeContainerCredentials(String authorizationToken) throws IOException {
    this.authorizationToken = authorizationToken;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(PATH, this::handle);
    server.start();
  }

  /** An endpoint that answers only requests carrying this authorization token. */
  public static FakeContainerCredentials start(String authorizationToken) {
    try {
      return new FakeContainerCredentials(authorizationToken);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The full URI, for AWS_CONTAINER_CREDENTIALS_FULL_URI (loopback is allowed over http). */
  public String fullUri() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  /** The Authorization header of every request received. */
  public List<String> authorizationsSeen() {
    return List.copyOf(authorizationsSeen);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorizationsSeen.add(String.valueOf(auth));
      if (!"GET".equals(exchange.getRequestMethod()) || !authorizationToken.equals(auth)) {
        send(
            exchange,
            401,
            "{\"Code\":\"AccessDeniedException\",\"Message\":\"invalid authorization token\"}");
        return;
      }
      Instant expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
      send(
          exchange,
          200,
          "{\"AccessKeyId\":\""
              + ACCESS_KEY_ID
              + "\",\"SecretAccessKey\":\"pod-identity-secret\","
              + "\"Token\":\""
              + SESSION_TOKEN
              + "\",\"AccountId\":\"111122223333\",\"Expiration\":\""
              + expiration
              + "\"}");
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
