package dev.parley.bench;

import dev.parley.bench.load.MessageBench;
import dev.parley.bench.load.MessageLoad;
import dev.parley.bench.load.MessageTarget;
import dev.parley.bench.load.RoomBench;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The load options that {@code bench messages} and {@code bench rooms} share: window, size, phases, generator threads. */
final class MessageLoadOptions {
  @Option(names = "--window", defaultValue = "1", paramLabel = "W", description = "Messages in flight per sender (default: ${DEFAULT-VALUE}).")
  private int window;

  @Option(names = "--duration", defaultValue = "10", paramLabel = "S", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  private double durationSeconds;

  @Option(names = "--warmup", defaultValue = "2", paramLabel = "S", description = "Unmeasured seconds first (default: ${DEFAULT-VALUE}).")
  private double warmupSeconds;

  @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES", description = "Message text length (default: ${DEFAULT-VALUE}).")
  private int size;

  @Option(
      names = "--generator-threads",
      defaultValue = "2",
      paramLabel = "N",
      description = "Selector threads driving the connections (default: ${DEFAULT-VALUE}).")
  private int generatorThreads;

  /** The configuration of a {@code bench messages} run with these options. */
  MessageBench.Config messages(MessageTarget target, int pairs) {
    return new MessageBench.Config(target, pairs, load());
  }

  /** The configuration of a {@code bench rooms} run with these options. */
  RoomBench.Config rooms(MessageTarget target, int members, int senders) {
    return new RoomBench.Config(target, members, senders, load());
  }

  private MessageLoad load() {
    return new MessageLoad(window, size, seconds(warmupSeconds), seconds(durationSeconds), generatorThreads);
  }

  private static Duration seconds(double seconds) {
    return Duration.ofNanos((long) (seconds * 1e9));
  }
}
