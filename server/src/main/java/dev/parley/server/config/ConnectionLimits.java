package dev.parley.server.config;

import java.time.Duration;

/**
 * What one connection may send and hold.
 *
 * @param maxFrameBytes largest TCP line, WebSocket message or HTTP body; larger ones get {@code too_large}
 * @param idleTimeout a connection silent for this long is closed
 * @param outboundQueueFrames frames queued to one connection before it is dropped as a slow consumer
 * @param maxOutboundBytes bytes of frames queued to one connection before it is dropped as a slow consumer
 * @param headerTimeout an HTTP request line and headers must arrive within this, from their first byte
 * @param authTimeout a TCP or WebSocket connection that has not logged in or authenticated by then is closed
 * @param maxRequestsInFlight requests one TCP or WebSocket connection may have unanswered; more get {@code rate_limited}
 * @param framesPerSecond frames one TCP or WebSocket connection is read at, sustained; faster, it is read more slowly
 * @param frameBurst frames one TCP or WebSocket connection is read at once before {@code framesPerSecond} applies
 */
public record ConnectionLimits(
    int maxFrameBytes,
    Duration idleTimeout,
    int outboundQueueFrames,
    long maxOutboundBytes,
    Duration headerTimeout,
    Duration authTimeout,
    int maxRequestsInFlight,
    int framesPerSecond,
    int frameBurst) {
  /** Replay pages stay well inside the outbound queue, so a backlog never trips the slow-consumer limit. */
  public int replayPage() {
    return Math.max(1, Math.min(500, outboundQueueFrames / 4));
  }
}
