package io.grafanatokens.provider.amg;

/**
 * One AMG API call, described for error messages: which operation, on which workspace and service
 * account, with whose credentials. Never holds key material.
 *
 * @param credentialsSecret the Secret the keys come from; null for the operator's own identity
 * @param accessKeyId the access key id of those keys (not a secret); null for the operator's own
 *     identity
 */
record AmgCall(
    Operation operation,
    String region,
    String workspaceId,
    String serviceAccountId,
    String credentialsSecret,
    String accessKeyId) {

  /** The three token operations and the IAM action each needs. */
  enum Operation {
    CREATE("create a token", "grafana:CreateWorkspaceServiceAccountToken"),
    LIST("list the tokens", "grafana:ListWorkspaceServiceAccountTokens"),
    DELETE("delete a token", "grafana:DeleteWorkspaceServiceAccountToken");

    final String verb;
    final String iamAction;

    Operation(String verb, String iamAction) {
      this.verb = verb;
      this.iamAction = iamAction;
    }
  }

  AmgCall on(Operation op) {
    return new AmgCall(op, region, workspaceId, serviceAccountId, credentialsSecret, accessKeyId);
  }

  AmgCall withServiceAccount(String id) {
    return new AmgCall(operation, region, workspaceId, id, credentialsSecret, accessKeyId);
  }

  boolean ambient() {
    return credentialsSecret == null;
  }

  /** E.g. "create a token on service account 3 of workspace g-0123456789". */
  String what() {
    return operation.verb
        + " on service account "
        + serviceAccountId
        + " of workspace "
        + workspaceId;
  }

  /** Short: "the keys in Secret aws-creds" or "the operator's AWS identity". */
  String who() {
    return ambient() ? "the operator's AWS identity" : "the keys in Secret " + credentialsSecret;
  }

  /** With the access key id where it is known. */
  String whoExactly() {
    return ambient() ? who() : "access key " + accessKeyId + " in Secret " + credentialsSecret;
  }

  /** The workspace ARN with a placeholder for the account, which the operator does not know. */
  String workspaceArn() {
    return "arn:aws:grafana:" + region + ":<account>:/workspaces/" + workspaceId;
  }
}
