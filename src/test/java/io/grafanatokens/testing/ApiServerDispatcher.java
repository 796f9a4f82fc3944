package io.grafanatokens.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The CRUD mock's dispatcher with what tests need from a real API server: a record of every call
 * (verb, group, resource, namespace) for the RBAC check, injected failures (refused before acting,
 * or failing after acting — an unknown outcome), and an answer to the SelfSubjectRulesReview that
 * leader election asks first.
 */
public final class ApiServerDispatcher extends KubernetesCrudDispatcher {
  /** One API call as RBAC sees it. */
  public record Call(
      String verb, String group, String resource, String namespace, boolean byOperator) {}

  /** The User-Agent of the operator's own client, to tell its calls from the test's. */
  public static final String OPERATOR_AGENT = "grafana-token-operator";

  /** Refuse without acting, or act and then answer with an error. */
  public enum FaultMode {
    REFUSE,
    FAIL_AFTER_APPLYING
  }

  private record Fault(
      Predicate<Call> matches, FaultMode mode, int code, String message, int[] remaining) {}

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  // a queue, not a copy-on-write list: the benchmark records hundreds of thousands of calls
  private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<Call, String>> listeners = new CopyOnWriteArrayList<>();
  private final List<Before> befores = new CopyOnWriteArrayList<>();

  /** Something to do before the next request whose call and path match is applied. */
  private record Before(Predicate<Call> call, String pathPart, Runnable action, boolean[] done) {}

  private volatile boolean operatorKilled;
  private volatile Clock managedFieldsClock;
  private volatile Predicate<Call> killAfter;
  private volatile Predicate<Call> killBefore;
  private final Set<String> unservedGroups = ConcurrentHashMap.newKeySet();
  private final Set<String> terminatingNamespaces = ConcurrentHashMap.newKeySet();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String agent = request.getHeader("User-Agent");
    Call call =
        ApiCalls.parse(
            request.getMethod(),
            request.getPath(),
            agent != null && agent.startsWith(OPERATOR_AGENT));
    calls.add(call);
    for (BiConsumer<Call, String> l : listeners) {
      l.accept(call, request.getPath());
    }
    for (Before b : befores) {
      boolean run = false;
      synchronized (b) {
        if (!b.done()[0] && b.call().test(call) && request.getPath().contains(b.pathPart())) {
          b.done()[0] = true;
          run = true;
        }
      }
      if (run) {
        befores.remove(b);
        b.action().run();
      }
    }
    if (operatorKilled && call.byOperator()) {
      // a killed process makes no more calls: what it still tries never reaches the server
      return status(503, "the operator process was killed");
    }
    Predicate<Call> before = killBefore;
    if (before != null && call.byOperator() && before.test(call)) {
      killBefore = null;
      operatorKilled = true;
      return status(503, "the operator process was killed");
    }
    Predicate<Call> after = killAfter;
    if (after != null && call.byOperator() && after.test(call)) {
      killAfter = null;
      MockResponse answer = super.dispatch(withManagedFields(request));
      operatorKilled = true;
      return answer;
    }
    if ("selfsubjectrulesreviews".equals(call.resource())) {
      return new MockResponse().setResponseCode(201).setBody(SELF_SUBJECT_RULES_REVIEW);
    }
    if (call.verb().equals("create") && terminatingNamespaces.contains(call.namespace())) {
      // a real API server's answer to new content in a namespace being deleted
      return status(
          403,
          call.resource()
              + " is forbidden: unable to create new content in namespace "
              + call.namespace()
              + " because it is being terminated");
    }
    if (unservedGroups.contains(call.group())) {
      // a real API server's answer for a group it does not serve (no CRD): a plain-text 404
      return new MockResponse()
          .setResponseCode(404)
          .setHeader("Content-Type", "text/plain; charset=utf-8")
          .setBody("404 page not found\n");
    }
    for (Fault f : faults) {
      if (f.remaining()[0] > 0 && f.matches().test(call)) {
        synchronized (f) {
          if (f.remaining()[0] <= 0) {
            continue;
          }
          f.remaining()[0]--;
        }
        if (f.mode() == FaultMode.FAIL_AFTER_APPLYING) {
          super.dispatch(withManagedFields(request));
        }
        return status(f.code(), f.message());
      }
    }
    return super.dispatch(withManagedFields(request));
  }

  /**
   * From now on creates and updates get the metadata.managedFields a real API server records
   * ({@link FieldManagers}), so that what clients read and cache weighs what it would in a cluster.
   */
  public void recordManagedFields(Clock clock) {
    managedFieldsClock = clock;
  }

  private RecordedRequest withManagedFields(RecordedRequest request) {
    Clock clock = managedFieldsClock;
    String method = request.getMethod();
    if (clock == null || !(method.equals("POST") || method.equals("PUT"))) {
      return request;
    }
    String path = request.getPath().replaceFirst("\\?.*$", "");
    boolean status = path.endsWith("/status");
    String stored = null;
    if (method.equals("PUT")) {
      var found = findResource(getKey(status ? path.substring(0, path.length() - 7) : path));
      stored = found == null ? null : found.getValue();
    }
    String agent = request.getHeader("User-Agent");
    String manager = agent == null ? "unknown" : agent.replaceFirst("/.*$", "");
    try {
      byte[] body =
          FieldManagers.record(request.getBody().getBytes(), stored, manager, status, clock);
      return new RecordedRequest(
          request.getHttpVersion(),
          request.method(),
          request.getPath(),
          request.getHeaders(),
          new Buffer(body));
    } catch (java.io.IOException notAnObject) {
      return request;
    }
  }

  /**
   * Stores a new object as a create through the API would (uid, resourceVersion, creation time),
   * without the HTTP round trip and the mock's scan of every stored object for an existing one,
   * which makes creating many objects quadratic. For bulk set-up only: before any client watches
   * (no watch event is sent) and with names not yet taken; the next write through the API publishes
   * it to the server's threads.
   */
  public void preload(String collectionPath, HasMetadata object) {
    GenericKubernetesResource r = JSON.convertValue(object, GenericKubernetesResource.class);
    r.getMetadata().setUid(UUID.randomUUID().toString());
    r.getMetadata()
        .setCreationTimestamp(
            ZonedDateTime.now(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_INSTANT));
    r.getMetadata().setResourceVersion(Long.toString(requestResourceVersion()));
    r.getMetadata().setGeneration(1L);
    processEvent(
        collectionPath,
        getKey(collectionPath).add(new Attribute("name", r.getMetadata().getName())),
        null,
        r,
        JSON.asJson(r));
  }

  /**
   * From now on the namespace refuses new objects, as one being deleted does (what it holds stays).
   */
  public void terminating(String namespace) {
    terminatingNamespaces.add(namespace);
  }

  /** From now on the API serves nothing of this group, as when its CRDs are not installed. */
  public void unserve(String group) {
    unservedGroups.add(group);
  }

  /** The group is served again, as when its CRDs have been applied. */
  public void serve(String group) {
    unservedGroups.remove(group);
  }

  /**
   * From now on nothing the operator sends reaches the server, as after kill -9; false brings the
   * next operator process in.
   */
  public void operatorKilled(boolean killed) {
    operatorKilled = killed;
  }

  public boolean operatorKilled() {
    return operatorKilled;
  }

  /** The operator process dies right after its next call matching the predicate lands. */
  public void killOperatorAfter(Predicate<Call> call) {
    killAfter = call;
  }

  /** The operator process dies right before its next call matching the predicate. */
  public void killOperatorBefore(Predicate<Call> call) {
    killBefore = call;
  }

  /**
   * Runs {@code action} on the server's thread before the next request matching {@code call} whose
   * path contains {@code pathPart} is applied: the request waits for it, as one delayed in flight.
   */
  public void beforeNext(Predicate<Call> call, String pathPart, Runnable action) {
    befores.add(new Before(call, pathPart, action, new boolean[1]));
  }

  /**
   * Deletes the object at this path in place, on the calling (server) thread: what a delete sent by
   * someone else meanwhile does, for a {@link #beforeNext} action, which cannot wait for a call of
   * its own.
   */
  public void deleteNow(String objectPath) {
    handleDelete(objectPath);
  }

  /** The next {@code times} calls matching the predicate fail with this code. */
  public void failNext(
      Predicate<Call> matches, FaultMode mode, int code, String message, int times) {
    faults.add(new Fault(matches, mode, code, message, new int[] {times}));
  }

  /**
   * Told of every call as it arrives, with the request's path and query (the benchmark counts by
   * it).
   */
  public void onCall(BiConsumer<Call, String> listener) {
    listeners.add(listener);
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls the operator made (not the test's own set-up). */
  public List<Call> operatorCalls() {
    return calls.stream().filter(Call::byOperator).toList();
  }

  public static Predicate<Call> on(String verb, String resource) {
    return c -> verb.equals(c.verb()) && resource.equals(c.resource());
  }

  private static MockResponse status(int code, String message) {
    String reason =
        switch (code) {
          case 409 -> "Conflict";
          case 422 -> "Invalid";
          case 403 -> "Forbidden";
          case 404 -> "NotFound";
          default -> "InternalError";
        };
    return new MockResponse()
        .setResponseCode(code)
        .setBody(
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"status\":\"Failure\",\"message\":\""
                + message
                + "\",\"reason\":\""
                + reason
                + "\",\"code\":"
                + code
                + "}");
  }

  private static final String SELF_SUBJECT_RULES_REVIEW =
      "{\"apiVersion\":\"authorization.k8s.io/v1\","
          + "\"kind\":\"SelfSubjectRulesReview\",\"status\":{\"incomplete\":false,\"resourceRules\":[{\"verbs\":[\"*\"],"
          + "\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}],\"nonResourceRules\":[]}}";
}
