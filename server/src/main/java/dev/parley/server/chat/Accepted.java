package dev.parley.server.chat;

/**
 * A message the server made durable: what a send completes with. A repeated client id gets the
 * first one again.
 *
 * @param id the client's id for the message
 * @param seq the message's place in the server's order
 * @param ts when it was committed, in epoch milliseconds
 */
public record Accepted(String id, long seq, long ts) {}
