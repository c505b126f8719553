package dev.parley.server.store;

import java.util.List;

/**
 * Invite codes, known only by their SHA-256 hash (hex); a registration uses one through
 * {@link UserStore#create(String, String, String, long, String)}. Implementations are thread-safe.
 */
public interface InviteStore {
  /** @param createdBy the admin's user id, or null for the operator's CLI */
  Invite create(String codeHash, Long createdBy, long nowMillis, Long expiresAtMillis, int maxUses);

  /** Every invite, newest first. */
  List<Invite> list();

  /** @return false when no invite has this id */
  boolean revoke(long id, long nowMillis);
}
