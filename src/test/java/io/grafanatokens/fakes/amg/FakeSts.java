package io.grafanatokens.fakes.amg;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback AWS STS that answers AssumeRoleWithWebIdentity (the IRSA exchange) with session
 * credentials, or with an aws-query XML error when the web identity token is not the expected one.
 * Free of JUnit; thread-safe.
 */
public final class FakeSts implements AutoCloseable {
  private final HttpServer server;
  private final String expectedWebIdentityToken;
  private final String roleArn;
  private final AtomicInteger issued = new AtomicInteger();
  private final List<Map<String, String>> calls = new CopyOnWriteArrayList<>();

  /** Issued credentials: the access key id starts with ASIA like real session keys. */
  public record SessionCredentials(
      String accessKeyId, String secretAccessKey, String sessionToken) {
    @Override
    public String toString() {
      return "SessionCredentials[" + accessKeyId + ", ***]";
    }
  }

  private final List<SessionCredentials> credentials = new CopyOnWriteArrayList<>();

  private FakeSts(String expectedWebIdentityToken, String roleArn) throws IOException {
    this.expectedWebIdentityToken = expectedWebIdentityToken;
    this.roleArn = roleArn;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** An STS that accepts only this web identity token for this role. */
  public static FakeSts start(String expectedWebIdentityToken, String roleArn) {
    try {
      return new FakeSts(expectedWebIdentityToken, roleArn);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * The form parameters of every call received (the web identity token included: test data only).
   */
  public List<Map<String, String>> calls() {
    return List.copyOf(calls);
  }

  /** The credentials handed out so far, oldest first. */
  public List<SessionCredentials> issued() {
    return List.copyOf(credentials);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> form =
          form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      calls.add(form);
      if (!"AssumeRoleWithWebIdentity".equals(form.get("Action"))) {
        send(
            exchange,
            400,
            error("InvalidAction", "Could not find operation " + form.get("Action")));
        return;
      }
      if (!roleArn.equals(form.get("RoleArn"))
          || !expectedWebIdentityToken.equals(form.get("WebIdentityToken"))) {
        send(
            exchange,
            403,
            error("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));
        return;
      }
      int n = issued.incrementAndGet();
      SessionCredentials c =
          new SessionCredentials(
              String.format("ASIAFAKESTS%09d", n), "sts-secret-" + n, "sts-session-token-" + n);
      credentials.add(c);
      // The SDK caches the credentials until shortly before this, on the real clock.
      Instant expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
      String xml =
          "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
              + "<AssumeRoleWithWebIdentityResult>"
              + "<SubjectFromWebIdentityToken>system:serviceaccount:grafana-token-operator:operator</SubjectFromWebIdentityToken>"
              + "<Audience>sts.amazonaws.com</Audience>"
              + "<AssumedRoleUser><Arn>"
              + roleArn.replace(":role/", ":assumed-role/").replace("arn:aws:iam:", "arn:aws:sts:")
              + "/"
              + form.get("RoleSessionName")
              + "</Arn><AssumedRoleId>AROAFAKE:"
              + form.get("RoleSessionName")
              + "</AssumedRoleId></AssumedRoleUser>"
              + "<Credentials><SessionToken>"
              + c.sessionToken()
              + "</SessionToken><SecretAccessKey>"
              + c.secretAccessKey()
              + "</SecretAccessKey><Expiration>"
              + expiration
              + "</Expiration><AccessKeyId>"
              + c.accessKeyId()
              + "</AccessKeyId></Credentials>"
              + "<Provider>arn:aws:iam::111122223333:oidc-provider/oidc.eks.example</Provider>"
              + "</AssumeRoleWithWebIdentityResult>"
              + "<ResponseMetadata><RequestId>"
              + UUID.randomUUID()
              + "</RequestId></ResponseMetadata>"
              + "</AssumeRoleWithWebIdentityResponse>";
      send(exchange, 200, xml);
    }
  }

  private static String error(String code, String message) {
    return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message></Error><RequestId>"
        + UUID.randomUUID()
        + "</RequestId>"
        + "</ErrorResponse>";
  }

  private static void send(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
