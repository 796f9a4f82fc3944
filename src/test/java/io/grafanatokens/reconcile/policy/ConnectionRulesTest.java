package io.grafanatokens.reconcile.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.grafanatokens.api.v1alpha1.AmazonManagedGrafanaProvider;
import io.grafanatokens.api.v1alpha1.GrafanaConnectionSpec;
import io.grafanatokens.api.v1alpha1.GrafanaProvider;
import io.grafanatokens.api.v1alpha1.TokenServiceAccount;
import io.grafanatokens.api.v1alpha1.YandexCloudProvider;
import org.junit.jupiter.api.Test;

/**
 * What spec.serviceAccount may say depends on the provider of the connection it names, known only
 * once the connection is read: these are the reconciler's rows of the validation table.
 */
class ConnectionRulesTest {
  @Test
  void aGrafanaConnectionTakesADigitIdOrANameWithItsOptions() {
    assertThat(ConnectionRules.accountFor(grafana(), account("42", null, null, null))).isEmpty();
    assertThat(ConnectionRules.accountFor(grafana(), account(null, "ci-bot", true, "Editor")))
        .isEmpty();
  }

  @Test
  void aGrafanaConnectionRefusesAnIdThatIsNotDigits() {
    assertThat(ConnectionRules.accountFor(grafana(), account("sa-1", null, null, null)))
        .extracting(Violation::field)
        .containsExactly("spec.serviceAccount.id");
    assertThat(ConnectionRules.accountFor(grafana(), account("0", null, null, null)))
        .extracting(Violation::field)
        .containsExactly("spec.serviceAccount.id");
  }

  @Test
  void anAmazonManagedGrafanaConnectionNeedsAnIdAndRefusesTheGrafanaOnlyFields() {
    assertThat(ConnectionRules.accountFor(amg(), account("3", null, null, null))).isEmpty();
    assertThat(ConnectionRules.accountFor(amg(), account(null, "ci-bot", true, "Viewer")))
        .extracting(Violation::field)
        .containsExactly(
            "spec.serviceAccount.id",
            "spec.serviceAccount.name",
            "spec.serviceAccount.createIfMissing",
            "spec.serviceAccount.role");
  }

  @Test
  void aYandexConnectionNeedsAnIdAndNamesTheProviderWhenItRefusesAName() {
    assertThat(
            ConnectionRules.accountFor(yandex(), account("ajeabcdefghijklmnopq", null, null, null)))
        .isEmpty();
    assertThat(ConnectionRules.accountFor(yandex(), account(null, "robot", null, null)))
        .extracting(Violation::toString)
        .containsExactly(
            "spec.serviceAccount.id: is required: a yandexCloud connection has no name lookup",
            "spec.serviceAccount.name: is only for a grafana connection, not yandexCloud");
  }

  private static TokenServiceAccount account(
      String id, String name, Boolean createIfMissing, String role) {
    TokenServiceAccount sa = new TokenServiceAccount();
    sa.setId(id);
    sa.setName(name);
    sa.setCreateIfMissing(createIfMissing);
    sa.setRole(role);
    return sa;
  }

  private static GrafanaConnectionSpec grafana() {
    GrafanaConnectionSpec c = new GrafanaConnectionSpec();
    c.setGrafana(new GrafanaProvider());
    return c;
  }

  private static GrafanaConnectionSpec amg() {
    GrafanaConnectionSpec c = new GrafanaConnectionSpec();
    c.setAmazonManagedGrafana(new AmazonManagedGrafanaProvider());
    return c;
  }

  private static GrafanaConnectionSpec yandex() {
    GrafanaConnectionSpec c = new GrafanaConnectionSpec();
    c.setYandexCloud(new YandexCloudProvider());
    return c;
  }
}
