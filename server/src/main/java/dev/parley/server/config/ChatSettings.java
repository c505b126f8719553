package dev.parley.server.config;

import java.time.Duration;

/**
 * Messages: their size, how they are committed, how history is paged.
 *
 * @param maxTextChars longest message text, in code points
 * @param commitBatchMax most messages committed in one transaction by the group-commit writer
 * @param writerStallTimeout a group commit taking longer than this makes {@code /healthz} unhealthy
 * @param messageRate messages one user may send, over all their connections
 * @param maxRoomMembers most members of one room
 */
public record ChatSettings(
    int maxTextChars,
    int commitBatchMax,
    Duration writerStallTimeout,
    PageLimits history,
    ServerConfig.MessageRate messageRate,
    int maxRoomMembers) {}
