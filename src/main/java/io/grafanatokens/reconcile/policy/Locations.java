package io.grafanatokens.reconcile.policy;

/**
 * Whether a recorded token lives where the resource points now (docs/reference.md#the-secret and
 * #which-tokens-may-be-deleted). Only then may its id be deleted: ids are small per-instance
 * integers, so an id recorded at one Grafana names somebody else's token at another. Records
 * written before locations existed are judged by the rule that keeps them safe: an entry's
 * target-hash counts only if it equals the current one, and a bare entry counts only if the record
 * it sits in (the Secret, or status) was written at the current location. Pure.
 */
public final class Locations {
  /** The end of a Warning naming a token recorded at another location. */
  public static final String ELSEWHERE =
      " was issued at another location (another Grafana, org, workspace or region): "
          + "it is never revoked elsewhere and is left to expire";

  private Locations() {}

  /** Where the resource points now. */
  public record Here(String location, String targetHash) {}

  /**
   * @param entryLocation the location recorded with the token, or null
   * @param entryTarget the target-hash recorded with the token instead (older entries), or null
   * @param recordLocation the location of the record the entry sits in (the Secret's own), or null
   * @param recordTarget the target-hash of that record, or null
   */
  public static boolean current(
      String entryLocation,
      String entryTarget,
      String recordLocation,
      String recordTarget,
      Here here) {
    if (entryLocation != null) {
      return entryLocation.equals(here.location());
    }
    if (entryTarget != null) {
      return entryTarget.equals(here.targetHash());
    }
    if (recordLocation != null) {
      return recordLocation.equals(here.location());
    }
    return here.targetHash().equals(recordTarget);
  }
}
