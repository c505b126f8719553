package dev.parley.bench.load;

import dev.parley.client.ParleyClient;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bench's accounts, PREFIX0..PREFIX4 made by {@code parley admin create-users}: two normal
 * users, and one attacker account for each attack that needs a login, so that one attack's
 * allowances (message rate, upload quota) do not shape another's. Logged in once, over HTTP.
 */
record AttackUsers(String normalSender, String normalReceiver, Map<String, String> tokens) {
  static final int COUNT = 5;

  static AttackUsers logIn(URI http, String prefix, String password) {
    Map<String, String> tokens = new LinkedHashMap<>();
    try (ParleyClient client = new ParleyClient(http)) {
      for (int i = 2; i < COUNT; i++) {
        tokens.put(prefix + i, client.login(prefix + i, password).token());
      }
    }
    return new AttackUsers(prefix + 0, prefix + 1, Map.copyOf(tokens));
  }

  /** Pipelines history over its own huge messages. */
  String historian() {
    return attacker(2);
  }

  /** Floods messages and uploads. */
  String flooder() {
    return attacker(3);
  }

  /** Floods pings and pipelines downloads. */
  String pinger() {
    return attacker(4);
  }

  String token(String username) {
    return tokens.get(username);
  }

  private String attacker(int index) {
    String prefix = normalSender.substring(0, normalSender.length() - 1);
    return prefix + index;
  }
}
