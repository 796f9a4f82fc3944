package io.grafanatokens.provider;

/** What to say of an error answer: the provider's message, its plain-text body, or a hint. */
public final class ErrorText {
  private ErrorText() {}

  /**
   * @param message the message parsed from the provider's error JSON, or null
   * @param body the raw body
   * @param htmlHint what to say when the body is an HTML page (a wrong URL, a proxy)
   */
  public static String of(String message, String body, String htmlHint) {
    if (message != null) {
      return message;
    }
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    String stripped = body.strip();
    if (stripped.startsWith("<")) {
      return htmlHint;
    }
    return stripped.replaceAll("\\s+", " ");
  }
}
