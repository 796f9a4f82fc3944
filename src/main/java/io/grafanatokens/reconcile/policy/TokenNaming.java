package io.grafanatokens.reconcile.policy;

import java.util.Collection;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token names {@code <tokenName cut to 108>-<first 8 chars of the uid>-<n>}
 * (docs/reference.md#issuing-crash-safe): deterministic, so a lost create shows up on the next
 * attempt and the sweep can tell this resource's tokens from everyone else's.
 */
public final class TokenNaming {
  static final int MAX_BASE = 108;

  private final String prefix;
  private final Pattern pattern;
  private final Pattern anyNameOfThisUid;

  public TokenNaming(String tokenName, String uid) {
    String base = tokenName.length() > MAX_BASE ? tokenName.substring(0, MAX_BASE) : tokenName;
    String uid8 = uid.length() > 8 ? uid.substring(0, 8) : uid;
    this.prefix = base + "-" + uid8 + "-";
    this.pattern = Pattern.compile("^" + Pattern.quote(prefix) + "([0-9]+)$");
    this.anyNameOfThisUid = Pattern.compile("^.+-" + Pattern.quote(uid8) + "-[0-9]+$");
  }

  /**
   * True when a token name ends in {@code -<uid8>-<n>} with this resource's uid, whatever its
   * tokenName was when it was issued: the proof that a recorded id is this resource's to delete.
   */
  public boolean bearsThisUid(String name) {
    return name != null && anyNameOfThisUid.matcher(name).matches();
  }

  public String name(long n) {
    return prefix + n;
  }

  /** The counter of a name of this resource, empty when the name is not one of ours. */
  public OptionalLong counterOf(String name) {
    if (name == null) {
      return OptionalLong.empty();
    }
    Matcher m = pattern.matcher(name);
    if (!m.matches() || m.group(1).length() > 18) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(m.group(1)));
  }

  public boolean isOurs(String name) {
    return counterOf(name).isPresent();
  }

  /** 1 + the highest counter among the known ones and the names given. */
  public long next(long knownCounter, Collection<String> names) {
    long max = Math.max(0, knownCounter);
    for (String n : names) {
      OptionalLong c = counterOf(n);
      if (c.isPresent()) {
        max = Math.max(max, c.getAsLong());
      }
    }
    return max + 1;
  }
}
