package dev.parley.server.account;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig.PasswordPolicy;

/**
 * The configured password policy. In the spirit of the lab project this grew from (which asked
 * for a lowercase letter and a digit), the default asks for 8 to 128 characters with a letter and
 * a digit, and never the username itself.
 */
public final class PasswordRules {
  private final PasswordPolicy policy;

  public PasswordRules(PasswordPolicy policy) {
    this.policy = policy;
  }

  /** Throws {@code weak_password} with the first rule the password breaks. */
  public void check(String password, String username) {
    int length = password.codePointCount(0, password.length());
    if (length < policy.minLength()) {
      throw weak("a password has at least " + policy.minLength() + " characters");
    }
    if (length > policy.maxLength()) {
      throw weak("a password has at most " + policy.maxLength() + " characters");
    }
    if (policy.requireLetter() && password.codePoints().noneMatch(Character::isLetter)) {
      throw weak("a password has at least one letter");
    }
    if (policy.requireDigit() && password.codePoints().noneMatch(Character::isDigit)) {
      throw weak("a password has at least one digit");
    }
    if (Usernames.lookupKey(password).equals(Usernames.lookupKey(username))) {
      throw weak("a password must not be the username");
    }
  }

  public PasswordPolicy policy() {
    return policy;
  }

  private static ParleyException weak(String message) {
    return new ParleyException(ErrorCode.WEAK_PASSWORD, message);
  }
}
