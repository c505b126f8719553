package dev.parley.server.account;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.parley.server.config.ServerConfig.Argon2Cost;

/** Argon2id password hashes as PHC strings, which carry their own cost and salt. Thread-safe. */
public final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final Argon2Function function;
  /** Verified against when the username is unknown, so both cases cost the same time. */
  private final String decoyHash;

  public PasswordHasher(Argon2Cost cost) {
    this.function =
        Argon2Function.getInstance(
            cost.memoryKib(), cost.iterations(), cost.parallelism(), HASH_BYTES, Argon2.ID, Argon2Function.ARGON2_VERSION_13);
    this.decoyHash = hash("decoy password 0");
  }

  public String hash(String password) {
    return Password.hash(password).addRandomSalt(SALT_BYTES).with(function).getResult();
  }

  /** Checks against a stored PHC hash, using the cost recorded in that hash. */
  public boolean verify(String password, String phcHash) {
    return Password.check(password, phcHash).with(Argon2Function.getInstanceFromHash(phcHash));
  }

  /** Spends the same work as a real verification and fails. */
  public boolean verifyDecoy(String password) {
    verify(password, decoyHash);
    return false;
  }
}
