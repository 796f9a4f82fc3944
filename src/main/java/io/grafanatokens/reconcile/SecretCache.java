package io.grafanatokens.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.grafanatokens.secret.TokenSecretState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The operator's view of its managed Secrets (those with its label): by name, and through two
 * indexes so that no pass scans or parses every managed Secret. Production is the JOSDK informer;
 * pass-level tests read the API server instead.
 */
public interface SecretCache {
  /** Managed Secrets by the uid of their controller owner. */
  String OWNER_INDEX = "owner-uid";

  /** Managed Secrets by the tokens they hold (TokenSecretState#holderKeys). */
  String HOLDER_INDEX = "token-holder";

  /** The indexers to register on the informer. */
  static Map<String, Function<Secret, List<String>>> indexers() {
    return Map.of(
        OWNER_INDEX,
        s -> TokenSecretState.controllerUid(s).map(List::of).orElse(List.of()),
        HOLDER_INDEX,
        TokenSecretState::holderKeys);
  }

  /** The Secret as last seen, the operator's own writes included. */
  Optional<Secret> get(String namespace, String name);

  /** The Secrets an index lists under a key (may lag the operator's own writes by a moment). */
  List<Secret> byIndex(String index, String key);

  /**
   * Runs a write and remembers its result, so the next pass sees it and its event does not wake us.
   */
  Secret write(Secret desired, UnaryOperator<Secret> operation);

  /** Remembers a Secret read back after a write whose answer was lost. */
  void remember(Secret previous, Secret actual);
}
