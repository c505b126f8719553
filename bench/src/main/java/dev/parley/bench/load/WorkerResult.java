package dev.parley.bench.load;

import java.util.Map;

/**
 * What one generator process saw. Times are wall-clock milliseconds, so that the results of
 * several processes can be put on one time line.
 *
 * @param failures connections that never got their welcome, by reason ({@code server_full}, {@code connect: …}, …)
 * @param closedByServer authenticated connections the server ended during the hold
 */
public record WorkerResult(
    long attempted,
    long connected,
    Map<String, Long> failures,
    long startMillis,
    long lastConnectedMillis,
    long pingsSent,
    long pongsReceived,
    long closedByServer) {}
