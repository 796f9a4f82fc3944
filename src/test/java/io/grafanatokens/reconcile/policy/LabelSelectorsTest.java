package io.grafanatokens.reconcile.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A ClusterGrafanaConnection's namespaceSelector, as the API server would evaluate it. */
class LabelSelectorsTest {
  private static final Map<String, String> TEAM_A =
      Map.of("grafana.example.com/access", "true", "team", "a");

  static Stream<Arguments> selectors() {
    return Stream.of(
        arguments("absent", null, true),
        arguments("empty", new LabelSelector(), true),
        arguments(
            "matchLabels held",
            new LabelSelectorBuilder().addToMatchLabels("team", "a").build(),
            true),
        arguments(
            "matchLabels other value",
            new LabelSelectorBuilder().addToMatchLabels("team", "b").build(),
            false),
        arguments(
            "matchLabels missing",
            new LabelSelectorBuilder().addToMatchLabels("tier", "x").build(),
            false),
        arguments("In", expr("team", "In", "a", "b"), true),
        arguments("In, not listed", expr("team", "In", "c"), false),
        arguments("NotIn", expr("team", "NotIn", "b"), true),
        arguments("NotIn, listed", expr("team", "NotIn", "a"), false),
        arguments("NotIn, label absent", expr("tier", "NotIn", "x"), true),
        arguments("Exists", expr("team", "Exists"), true),
        arguments("Exists, absent", expr("tier", "Exists"), false),
        arguments("DoesNotExist", expr("tier", "DoesNotExist"), true),
        arguments("DoesNotExist, present", expr("team", "DoesNotExist"), false),
        arguments("unknown operator fails closed", expr("team", "Matches", "a"), false),
        arguments(
            "labels and expressions both",
            new LabelSelectorBuilder()
                .addToMatchLabels("team", "a")
                .addNewMatchExpression()
                .withKey("tier")
                .withOperator("Exists")
                .endMatchExpression()
                .build(),
            false));
  }

  private static LabelSelector expr(String key, String op, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator(op)
        .withValues(values)
        .endMatchExpression()
        .build();
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("selectors")
  void selectsAsTheApiServerDoes(String name, LabelSelector selector, boolean admitted) {
    assertThat(LabelSelectors.matches(selector, TEAM_A)).isEqualTo(admitted);
  }
}
