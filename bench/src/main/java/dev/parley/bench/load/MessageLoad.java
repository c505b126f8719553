package dev.parley.bench.load;

import java.time.Duration;

/**
 * How {@code bench messages} and {@code bench rooms} load the server, whatever the workload's
 * shape: messages in flight per sender, their text length, the unmeasured and measured phases,
 * and the selector threads that drive the connections.
 */
public record MessageLoad(int window, int sizeBytes, Duration warmup, Duration duration, int generatorThreads) {}
