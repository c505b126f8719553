package dev.parley.server.config;

/**
 * Messages: their size, how they are committed, how history is paged.
 *
 * @param maxTextChars longest message text, in code points
 * @param commitBatchMax most messages committed in one transaction by the group-commit writer
 * @param maxRoomMembers most members of one room
 */
public record ChatSettings(int maxTextChars, int commitBatchMax, PageLimits history, int maxRoomMembers) {}
