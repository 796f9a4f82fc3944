package io.grafanatokens.provider;

/** Why a session is opened: issuing may create a missing service account, cleanup never does. */
public enum SessionPurpose {
  ISSUE,
  CLEANUP
}
