package dev.parley.server.chat;

import dev.parley.protocol.RoomRole;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.store.ConversationStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A room as the writer last changed it: immutable, so a message captures its recipients by
 * holding the state it was accepted under. Members in the order they joined.
 */
record RoomState(String key, String name, boolean open, Map<Long, Member> members) {
  record Member(long userId, String username, RoomRole role) {}

  RoomState {
    members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
  }

  static RoomState of(ConversationStore.Room room) {
    Map<Long, Member> members = new LinkedHashMap<>();
    room.members().forEach(m -> members.put(m.userId(), new Member(m.userId(), m.username(), m.role())));
    return new RoomState(room.key(), room.name(), room.open(), members);
  }

  boolean isMember(long userId) {
    return members.containsKey(userId);
  }

  RoomRole role(long userId) {
    Member member = members.get(userId);
    return member == null ? null : member.role();
  }

  RoomState with(Member member) {
    Map<Long, Member> more = new LinkedHashMap<>(members);
    more.put(member.userId(), member);
    return new RoomState(key, name, open, more);
  }

  /** Without the user; an owner who goes hands the room to the admin, else member, who joined first. */
  RoomState without(long userId) {
    Map<Long, Member> fewer = new LinkedHashMap<>(members);
    Member gone = fewer.remove(userId);
    if (gone != null && gone.role() == RoomRole.OWNER && fewer.values().stream().noneMatch(m -> m.role() == RoomRole.OWNER)) {
      fewer.values().stream()
          .filter(m -> m.role() == RoomRole.ADMIN)
          .findFirst()
          .or(() -> fewer.values().stream().findFirst())
          .ifPresent(heir -> fewer.put(heir.userId(), new Member(heir.userId(), heir.username(), RoomRole.OWNER)));
    }
    return new RoomState(key, name, open, fewer);
  }

  RoomState renamed(String newName) {
    return new RoomState(key, newName, open, members);
  }

  List<Long> memberIds() {
    return new ArrayList<>(members.keySet());
  }

  ServerFrame.RoomInfo info() {
    return new ServerFrame.RoomInfo(
        key, name, open, members.values().stream().map(m -> new ServerFrame.Member(m.username(), m.role())).toList());
  }
}
