package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench messages} and {@code bench rooms} against a real ngircd run with the committed bench/ngircd.conf (only its
 * port and pid file changed). Runs where Debian's ngircd is installed and is skipped elsewhere,
 * so the build does not depend on it.
 */
@EnabledIf("ngircdInstalled")
class IrcTargetTest {
  private static final Path NGIRCD = Path.of("/usr/sbin/ngircd");
  /** The module's directory is the tests' working directory; the config lives beside the modules. */
  private static final Path BENCH_CONFIG = Path.of("..", "bench", "ngircd.conf");

  @TempDir Path dir;

  private Process ngircd;

  static boolean ngircdInstalled() {
    return Files.isExecutable(NGIRCD);
  }

  @Test
  void everyMessageThroughNgircdArrivesOnceAndInOrder() throws Exception {
    int port = startNgircd();
    MessageBenchResult result =
        MessageBench.run(
            new MessageBench.Config(
                new IrcTarget(new InetSocketAddress("127.0.0.1", port)), 4, new MessageLoad(4, 64, Duration.ofMillis(300), Duration.ofSeconds(1), 2)));

    assertThat(result.target()).isEqualTo("irc://127.0.0.1:" + port);
    assertThat(result.delivered()).isPositive();
    assertThat(result.exact()).as(Files.readString(dir.resolve("ngircd.log"))).isTrue();
  }

  @Test
  void everyChannelMessageReachesEveryOtherMemberOnceAndInOrder() throws Exception {
    int port = startNgircd();
    RoomBenchResult result =
        RoomBench.run(
            new RoomBench.Config(
                new IrcTarget(new InetSocketAddress("127.0.0.1", port)), 5, 2, new MessageLoad(4, 64, Duration.ZERO, Duration.ofSeconds(1), 2)));

    assertThat(result.sent()).isPositive();
    assertThat(result.exact()).as(Files.readString(dir.resolve("ngircd.log"))).isTrue();
    assertThat(result.received()).isEqualTo(result.sent() * 4);
  }

  @AfterEach
  void stopNgircd() throws InterruptedException {
    if (ngircd != null) {
      ngircd.destroy();
      ngircd.waitFor();
    }
  }

  /** Starts ngircd with the bench's config on a free port; returns the port once it accepts. */
  private int startNgircd() throws IOException {
    int port = freePort();
    Path config = dir.resolve("ngircd.conf");
    Files.writeString(
        config,
        Files.readString(BENCH_CONFIG)
            .replaceAll("(?m)^\\s*Ports = .*$", "\tPorts = " + port)
            // ngircd may drop root for nobody, who cannot write here; the test needs no pid file.
            .replaceAll("(?m)^\\s*PidFile = .*$", ""));
    ngircd =
        new ProcessBuilder(NGIRCD.toString(), "--nodaemon", "--passive", "--config", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("ngircd.log").toFile())
            .start();
    await().atMost(Duration.ofSeconds(10)).until(() -> accepts(port));
    return port;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
