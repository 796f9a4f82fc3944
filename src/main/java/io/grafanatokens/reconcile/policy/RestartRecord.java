package io.grafanatokens.reconcile.policy;

import java.util.Objects;

/**
 * docs/reference.md#restart-targets: the restart is durable. status.restartedFor names the token
 * whose restart was applied; a Secret that holds another token means the restart is outstanding (a
 * crash, a failed call or a lost leadership after the swap) and is done again. Pure.
 */
public final class RestartRecord {
  private RestartRecord() {}

  /**
   * @param hasTargets spec.restartTargets is not empty
   * @param secretTokenId the token the Secret holds now
   * @param restartedFor status.restartedFor
   * @param statusTokenId status.tokenId: stands in for restartedFor when it was never written (a
   *     first issue restarts nothing; an operator before 0.2 restarted in the same pass)
   */
  public static boolean outstanding(
      boolean hasTargets, String secretTokenId, String restartedFor, String statusTokenId) {
    String done = restartedFor != null ? restartedFor : statusTokenId;
    return hasTargets
        && secretTokenId != null
        && done != null
        && !Objects.equals(done, secretTokenId);
  }
}
