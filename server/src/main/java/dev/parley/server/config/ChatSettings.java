package dev.parley.server.config;

/**
 * Messages: their size, how they are committed, how history is paged.
 *
 * @param maxTextChars longest message text, in code points
 * @param commitBatchMax most messages committed in one transaction by the group-commit writer
 * @param messageRate messages one user may send, over all their connections
 */
public record ChatSettings(int maxTextChars, int commitBatchMax, PageLimits history, ServerConfig.MessageRate messageRate) {}
