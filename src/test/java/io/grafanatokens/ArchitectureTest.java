package io.grafanatokens;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering: the pure packages (API model, policy, Secret and status shaping, providers) know
 * nothing of JOSDK or the fabric8 client, only of the fabric8 model; providers know nothing of the
 * reconciler and nothing of each other.
 */
@AnalyzeClasses(packages = "io.grafanatokens", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String JOSDK = "io.javaoperatorsdk..";
  private static final String FABRIC8_CLIENT = "io.fabric8.kubernetes.client..";

  @ArchTest
  static final ArchRule apiDoesNotDependOnJosdk =
      noClasses()
          .that()
          .resideInAPackage("io.grafanatokens.api..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(JOSDK)
          .because("the API model is plain data");

  @ArchTest
  static final ArchRule policyDependsOnNeitherJosdkNorTheClient =
      noClasses()
          .that()
          .resideInAPackage("io.grafanatokens.reconcile.policy..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(JOSDK, FABRIC8_CLIENT)
          .because("policy is pure and tested without a cluster");

  @ArchTest
  static final ArchRule secretDependsOnNeitherJosdkNorTheClient =
      noClasses()
          .that()
          .resideInAPackage("io.grafanatokens.secret..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(JOSDK, FABRIC8_CLIENT)
          .because("the Secret is shaped by pure code; writing it is the reconciler's job");

  @ArchTest
  static final ArchRule statusDependsOnNeitherJosdkNorTheClient =
      noClasses()
          .that()
          .resideInAPackage("io.grafanatokens.status..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(JOSDK, FABRIC8_CLIENT)
          .because("the status is built by pure code");

  @ArchTest
  static final ArchRule providersDependOnNeitherJosdkNorTheClient =
      noClasses()
          .that()
          .resideInAPackage("io.grafanatokens.provider..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(JOSDK, FABRIC8_CLIENT)
          .because(
              "providers talk to Grafana, AWS or Yandex, never to Kubernetes (secrets come through SecretLookup)");

  @ArchTest
  static final ArchRule providersDoNotDependOnTheReconciler =
      noClasses()
          .that()
          .resideInAPackage("io.grafanatokens.provider..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.grafanatokens.reconcile..")
          .because(
              "the reconciler drives providers through the TokenProvider SPI, not the other way round");

  @ArchTest
  static final ArchRule providerPackagesAreIndependent =
      slices()
          .matching("io.grafanatokens.provider.(*)..")
          .should()
          .notDependOnEachOther()
          .because("each provider stands alone on the shared SPI in io.grafanatokens.provider");

  @ArchTest
  static final ArchRule onlyReconcileAndRuntimeUseJosdk =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.grafanatokens.reconcile..", "io.grafanatokens.runtime..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(JOSDK)
          .because("JOSDK is the runtime's and the reconciler's business");
}
