package dev.parley.server.config;

/**
 * How long one page of a listing is.
 *
 * @param defaultSize the page size when the client gives no limit
 * @param maxSize a larger limit is clamped to this
 */
public record PageLimits(int defaultSize, int maxSize) {}
