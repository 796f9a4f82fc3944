package io.grafanatokens.provider.amg;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.grafana.GrafanaClient;

/**
 * Builds and caches the SDK clients per region, endpoint and credentials identity. All clients
 * share one URLConnection HTTP client and one timer thread pool, so a client is cheap to build and
 * to drop; nothing is closed per call.
 */
final class AmgClients implements AutoCloseable {
  /**
   * A handful of distinct accounts and regions is normal; more means churn, so start over rather
   * than grow.
   */
  private static final int MAX_CACHED = 32;

  /** The two clients of one target: creates never retry inside the SDK, lists and deletes may. */
  record Pair(GrafanaClient calls, GrafanaClient creates) {}

  private record Target(String region, Optional<URI> endpoint, String credentialsIdentity) {}

  private final Duration timeout;
  private final Supplier<RetryStrategy> callRetries;
  private final SdkHttpClient http;
  private final ScheduledExecutorService timers;
  private final Map<Target, Pair> cache = new ConcurrentHashMap<>();

  AmgClients(Duration timeout, Supplier<RetryStrategy> callRetries) {
    this.timeout = timeout;
    this.callRetries = callRetries;
    this.http =
        UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout).build();
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, "amg-sdk-timeouts-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    // idle timer threads go away: tests start many operators and the pool is rarely busy
    pool.setKeepAliveTime(30, TimeUnit.SECONDS);
    pool.allowCoreThreadTimeOut(true);
    pool.setRemoveOnCancelPolicy(true);
    this.timers = pool;
  }

  /** The clients for one region, endpoint override and set of credentials. */
  Pair forTarget(
      String region,
      Optional<URI> endpoint,
      String credentialsIdentity,
      AwsCredentialsProvider credentials) {
    Target key = new Target(region, endpoint, credentialsIdentity);
    Pair cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    Pair built =
        new Pair(
            build(key, credentials, callRetries.get()),
            build(key, credentials, AmgRetryPolicy.forCreates()));
    if (cache.size() >= MAX_CACHED) {
      // dropped clients hold nothing of their own (shared HTTP client and timers)
      cache.clear();
    }
    Pair raced = cache.putIfAbsent(key, built);
    return raced != null ? raced : built;
  }

  private GrafanaClient build(
      Target key, AwsCredentialsProvider credentials, RetryStrategy retries) {
    var builder =
        GrafanaClient.builder()
            .region(Region.of(key.region()))
            .credentialsProvider(credentials)
            .httpClient(http)
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(retries)
                    .apiCallAttemptTimeout(timeout)
                    // the attempts and the short pauses between them
                    .apiCallTimeout(
                        timeout.multipliedBy(Math.max(1, retries.maxAttempts())).plusSeconds(2))
                    .scheduledExecutorService(timers)
                    .build());
    key.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  @Override
  public void close() {
    cache
        .values()
        .forEach(
            p -> {
              p.calls().close();
              p.creates().close();
            });
    cache.clear();
    http.close();
    timers.shutdownNow();
  }
}
