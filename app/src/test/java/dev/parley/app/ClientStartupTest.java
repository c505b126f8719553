package dev.parley.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a client command's process loads when it starts: nothing that only the server needs. */
class ClientStartupTest {
  @Test
  void aClientCommandStartsWithoutStartingLogback() throws Exception {
    // A fresh JVM: in this one, other tests have started Logback already.
    Process process = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "-Xlog:class+load=info",
            "-cp", System.getProperty("java.class.path"),
            "dev.parley.app.Main", "--version"))
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("dev.parley.app.ServerCommand").doesNotContain("ch.qos.logback.classic.LoggerContext");
  }
}
