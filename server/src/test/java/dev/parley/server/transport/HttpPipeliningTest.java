package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.TestServer;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class HttpPipeliningTest {
  @Test
  void tooManyPipelinedRequestsCloseTheConnectionWithOneLogLineAndNoStackTrace() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    Logger guard = (Logger) LoggerFactory.getLogger(PipelineDepthGuard.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    root.addAppender(logged);
    Level before = guard.getLevel();
    guard.setLevel(Level.INFO);
    try (TestServer server = TestServer.start();
        Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout((int) FrameClient.TIMEOUT.toMillis());
      String request = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
      socket.getOutputStream().write(request.repeat(300).getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();

      InputStream in = socket.getInputStream();
      String answered = new String(in.readAllBytes(), StandardCharsets.US_ASCII);

      assertThat(answered.split("HTTP/1.1 200", -1).length - 1).isBetween(1, 128);
    } finally {
      guard.setLevel(before);
      root.detachAppender(logged);
    }
    assertThat(logged.list).noneMatch(event -> event.getThrowableProxy() != null);
    assertThat(logged.list).filteredOn(event -> event.getFormattedMessage().contains("pipelined")).hasSize(1);
  }
}
