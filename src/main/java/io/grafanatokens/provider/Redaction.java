package io.grafanatokens.provider;

import java.util.regex.Pattern;

/** Keeps provider text short and free of anything shaped like a key. */
public final class Redaction {
  /**
   * docs/reference.md#logs: provider text reaches status, Events and logs cut to 256 characters.
   */
  public static final int MAX_PROVIDER_TEXT = 256;

  private static final Pattern KEY_SHAPES =
      Pattern.compile(
          "glsa_[0-9A-Za-z]{32}_[0-9a-f]{8}|t1\\.[A-Za-z0-9_=.-]{20,}|eyJ[A-Za-z0-9_=.-]{20,}");

  private Redaction() {}

  /** Masks key-shaped substrings and cuts the text to {@link #MAX_PROVIDER_TEXT}. */
  public static String cut(String text) {
    if (text == null) {
      return null;
    }
    String masked = KEY_SHAPES.matcher(text).replaceAll("***");
    return masked.length() <= MAX_PROVIDER_TEXT
        ? masked
        : masked.substring(0, MAX_PROVIDER_TEXT - 3) + "...";
  }
}
