package dev.parley.server.presence;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.account.Usernames;
import dev.parley.server.session.Session;
import dev.parley.server.session.SharedFrame;
import dev.parley.server.session.Sessions;
import dev.parley.server.store.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Online state, pushed only to the sessions that watch a user: a change costs one frame per
 * watcher, never one per online user. Watchers are keyed by username key, so watching a name
 * that does not exist (yet) is allowed and simply reports it offline. Thread-safe.
 *
 * <p>A change is pushed as a {@code presence} frame: the frame is what each watching session
 * receives, so it is built once here, at the delivery edge, and handed to every watcher.
 */
public final class PresenceService implements Sessions.PresenceListener {
  private final int maxWatchedUsers;
  /** Online users by username key, with the name as registered. */
  private final ConcurrentHashMap<String, String> online = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<Session>> watchers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Session, Set<String>> watchedBy = new ConcurrentHashMap<>();

  public PresenceService(int maxWatchedUsers) {
    this.maxWatchedUsers = maxWatchedUsers;
  }

  /**
   * Replaces the session's watch list and sends the current state of each watched user. The
   * session is registered before the state is read, so no change can fall between the two.
   */
  public void watch(Session session, List<String> usernames) {
    if (usernames.size() > maxWatchedUsers) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "watch at most " + maxWatchedUsers + " users at once");
    }
    Map<String, String> requested = new LinkedHashMap<>();
    usernames.forEach(name -> requested.putIfAbsent(Usernames.lookupKey(name), name));
    forget(session);
    Set<String> keys = ConcurrentHashMap.newKeySet();
    keys.addAll(requested.keySet());
    watchedBy.put(session, keys);
    keys.forEach(key -> watchers.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(session));
    requested.forEach(
        (key, asGiven) -> {
          String registered = online.get(key);
          session.send(new ServerFrame.Presence(registered != null ? registered : asGiven, registered != null));
        });
  }

  /** Drops every watch of a closing session. */
  public void forget(Session session) {
    Set<String> keys = watchedBy.remove(session);
    if (keys != null) {
      keys.forEach(
          key -> watchers.computeIfPresent(key, (k, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
          }));
    }
  }

  public boolean isOnline(String usernameKey) {
    return online.containsKey(usernameKey);
  }

  /** Names of online users, as registered, by key. */
  Map<String, String> onlineByKey() {
    return online;
  }

  @Override
  public void online(User user) {
    String key = Usernames.key(user.username());
    online.put(key, user.username());
    notifyWatchers(key, new ServerFrame.Presence(user.username(), true));
  }

  @Override
  public void offline(User user) {
    String key = Usernames.key(user.username());
    online.remove(key);
    notifyWatchers(key, new ServerFrame.Presence(user.username(), false));
  }

  private void notifyWatchers(String key, ServerFrame.Presence presence) {
    Set<Session> sessions = watchers.get(key);
    if (sessions != null) {
      SharedFrame<ServerFrame.Presence> shared = new SharedFrame<>(presence);
      sessions.forEach(session -> session.send(shared));
    }
  }
}
