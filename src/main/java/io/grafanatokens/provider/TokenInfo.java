package io.grafanatokens.provider;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A token as the provider lists it (never the key). Its times may be parsed only when asked for: a
 * list of 300 rows is read on every issue, and the sweep looks at names only, so parsing every
 * row's two dates up front was most of an issue's CPU.
 */
public final class TokenInfo {
  private final String id;
  private final String name;
  private final boolean revoked;
  private final boolean expired;
  private Supplier<Instant> created;
  private Supplier<Instant> expires;
  private Instant createdAt;
  private Instant expiresAt;

  public TokenInfo(
      String id,
      String name,
      Instant createdAt,
      Instant expiresAt,
      boolean revoked,
      boolean expired) {
    this(id, name, () -> createdAt, () -> expiresAt, revoked, expired);
  }

  private TokenInfo(
      String id,
      String name,
      Supplier<Instant> created,
      Supplier<Instant> expires,
      boolean revoked,
      boolean expired) {
    this.id = id;
    this.name = name;
    this.created = created;
    this.expires = expires;
    this.revoked = revoked;
    this.expired = expired;
  }

  /** A row whose times are parsed on first use. */
  public static TokenInfo parsedLater(
      String id,
      String name,
      Supplier<Instant> created,
      Supplier<Instant> expires,
      boolean revoked,
      boolean expired) {
    return new TokenInfo(id, name, created, expires, revoked, expired);
  }

  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public synchronized Instant createdAt() {
    if (created != null) {
      createdAt = created.get();
      created = null;
    }
    return createdAt;
  }

  public synchronized Instant expiresAt() {
    if (expires != null) {
      expiresAt = expires.get();
      expires = null;
    }
    return expiresAt;
  }

  public boolean revoked() {
    return revoked;
  }

  public boolean expired() {
    return expired;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenInfo t
        && id.equals(t.id)
        && Objects.equals(name, t.name)
        && Objects.equals(createdAt(), t.createdAt())
        && Objects.equals(expiresAt(), t.expiresAt())
        && revoked == t.revoked
        && expired == t.expired;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name);
  }

  @Override
  public String toString() {
    return "TokenInfo[id="
        + id
        + ", name="
        + name
        + ", createdAt="
        + createdAt()
        + ", expiresAt="
        + expiresAt()
        + ", revoked="
        + revoked
        + ", expired="
        + expired
        + "]";
  }
}
