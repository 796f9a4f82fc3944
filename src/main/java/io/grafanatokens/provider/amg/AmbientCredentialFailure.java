package io.grafanatokens.provider.amg;

import io.grafanatokens.api.v1alpha1.Reasons;
import io.grafanatokens.provider.PermanentProviderException;
import io.grafanatokens.provider.ProviderException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failure of the SDK's default credentials chain into a reason and a message that says what
 * to set up. The chain reports every provider's complaint in one long message; only the providers
 * that were configured (IRSA web identity, EKS Pod Identity) are worth showing.
 */
final class AmbientCredentialFailure {
  private static final String SETUP_HINT =
      "give the operator's service account an IAM role through IRSA "
          + "(AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE) or EKS Pod Identity, or set "
          + "spec.amazonManagedGrafana.credentialsSecretRef";
  private static final List<String> CHAIN_MEMBERS =
      List.of(
          "SystemPropertyCredentialsProvider",
          "EnvironmentVariableCredentialsProvider",
          "WebIdentityTokenCredentialsProvider",
          "ProfileCredentialsProvider",
          "ContainerCredentialsProvider",
          "InstanceProfileCredentialsProvider");
  private static final Pattern STS_CLIENT_ERROR =
      Pattern.compile("\\(Service: Sts, Status Code: 4[0-9][0-9]");
  private static final Pattern NOISE =
      Pattern.compile(" ?\\((SDK Attempt Count|Request ID|Service: Sts)[^)]*\\)");

  private AmbientCredentialFailure() {}

  /** The exception for a failed resolveCredentials() of the operator's own identity. */
  static ProviderException classify(RuntimeException e) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Optional<String> webIdentity =
        complaintOf(text, "WebIdentityTokenCredentialsProvider")
            .filter(m -> !m.contains("must be set"));
    if (webIdentity.isPresent()) {
      boolean refused = STS_CLIENT_ERROR.matcher(webIdentity.get()).find();
      return new PermanentProviderException(
          refused ? Reasons.CREDENTIALS_REJECTED : Reasons.CREDENTIALS_NOT_FOUND,
          (refused
                  ? "STS refused the operator's web identity (IRSA): check the role's trust policy names the "
                      + "operator's service account, and AWS_ROLE_ARN: "
                  : "the operator's web identity (IRSA) gave no credentials: ")
              + clean(webIdentity.get()));
    }
    Optional<String> container =
        complaintOf(text, "ContainerCredentialsProvider")
            .filter(m -> !m.contains("neither AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    if (container.isPresent()) {
      return new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND,
          "the container credentials endpoint (EKS Pod Identity) gave no credentials: check the pod identity "
              + "association and agent: "
              + clean(container.get()));
    }
    if (text.startsWith("Unable to load credentials from any of the providers")) {
      return new PermanentProviderException(
          Reasons.CREDENTIALS_NOT_FOUND, "the operator has no AWS identity: " + SETUP_HINT);
    }
    return new PermanentProviderException(
        Reasons.CREDENTIALS_NOT_FOUND,
        "the operator's AWS identity gave no credentials: " + clean(text) + "; " + SETUP_HINT);
  }

  /** One chain member's complaint: the text after "Name(...): " up to the next member. */
  private static Optional<String> complaintOf(String chainMessage, String member) {
    Matcher start = Pattern.compile(Pattern.quote(member) + "\\([^)]*\\): ").matcher(chainMessage);
    if (!start.find()) {
      return Optional.empty();
    }
    int from = start.end();
    int to = chainMessage.length();
    for (String other : CHAIN_MEMBERS) {
      int at = chainMessage.indexOf(", " + other + "(", from);
      if (at >= 0 && at < to) {
        to = at;
      }
    }
    String complaint = chainMessage.substring(from, to);
    return Optional.of(
        complaint.endsWith("]") ? complaint.substring(0, complaint.length() - 1) : complaint);
  }

  private static String clean(String text) {
    return NOISE.matcher(text).replaceAll("").strip();
  }
}
