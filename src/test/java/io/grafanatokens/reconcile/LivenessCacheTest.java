package io.grafanatokens.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.provider.TokenInfo;
import io.grafanatokens.provider.TokenListing;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The shared token lists behind the liveness check (docs/reference.md#liveness-check). */
class LivenessCacheTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);

  private static TokenListing listing(String... ids) {
    return TokenListing.complete(
        java.util.Arrays.stream(ids)
            .map(id -> new TokenInfo(id, "t-" + id, NOW, NOW.plus(HOUR), false, false))
            .toList());
  }

  @Test
  void aListingSentBeforeATokenWasCreatedIsNeverAskedAboutIt() throws Exception {
    LivenessCache cache = new LivenessCache();
    long ticket = cache.beforeList();
    // another resource's list is in flight while this resource's create is answered
    cache.created("grafana|a|2", "17");
    cache.put("grafana|a|2", NOW, ticket, listing("16"));
    AtomicInteger lists = new AtomicInteger();

    TokenListing seen =
        cache.tokens(
            "grafana|a|2",
            "17",
            NOW,
            HOUR,
            () -> {
              lists.incrementAndGet();
              return listing("16", "17");
            });
    assertThat(lists).as("a fresh list, taken after the create").hasValue(1);
    assertThat(seen.tokens()).extracting(TokenInfo::id).contains("17");
  }

  @Test
  void resourcesOnOneAccountShareAListWithinTheInterval() throws Exception {
    LivenessCache cache = new LivenessCache();
    AtomicInteger lists = new AtomicInteger();
    LivenessCache.Lister lister =
        () -> {
          lists.incrementAndGet();
          return listing("1", "2");
        };
    cache.tokens("acc", "1", NOW, HOUR, lister);
    cache.tokens("acc", "2", NOW.plusSeconds(60), HOUR, lister);
    assertThat(lists).hasValue(1);
    cache.tokens("acc", "2", NOW.plus(HOUR), HOUR, lister);
    assertThat(lists).as("a list as old as the interval is not used").hasValue(2);
  }

  @Test
  void aTokenCreatedBeforeTheProcessStartedTrustsAnyListing() throws Exception {
    LivenessCache cache = new LivenessCache();
    cache.put("acc", NOW, cache.beforeList(), listing("9"));
    AtomicInteger lists = new AtomicInteger();
    cache.tokens(
        "acc",
        "9",
        NOW.plusSeconds(1),
        HOUR,
        () -> {
          lists.incrementAndGet();
          return listing();
        });
    assertThat(lists).hasValue(0);
  }

  @Test
  void aListingSentAfterACreateAnswersForItAndTheCreateIsForgotten() throws Exception {
    LivenessCache cache = new LivenessCache();
    cache.created("acc", "5");
    cache.put("acc", NOW, cache.beforeList(), listing("5"));
    AtomicInteger lists = new AtomicInteger();
    assertThat(
            cache
                .tokens(
                    "acc",
                    "5",
                    NOW,
                    HOUR,
                    () -> {
                      lists.incrementAndGet();
                      return listing();
                    })
                .tokens())
        .hasSize(1);
    assertThat(lists).hasValue(0);
  }
}
