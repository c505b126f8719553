package dev.parley.server.store;

import dev.parley.protocol.EventKind;

/**
 * What a membership entry changes, applied by the store in the entry's transaction.
 *
 * @param userId whose membership changes (the creator for {@code created}); 0 for {@code renamed}
 * @param name the room's name, for {@code created} and {@code renamed}
 * @param open whether a room being created is open
 */
public record RoomChange(EventKind kind, long userId, String name, boolean open) {}
