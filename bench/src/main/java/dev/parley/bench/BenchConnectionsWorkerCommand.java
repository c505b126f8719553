package dev.parley.bench;

import dev.parley.app.JsonOutput;
import dev.parley.bench.load.BenchUser;
import dev.parley.bench.load.ConnectionBench;
import dev.parley.bench.load.ConnectionWorker;
import dev.parley.bench.load.WorkerResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A generator child of {@code bench connections --processes P}: opens its share of the
 * connections, holds them, prints its {@link WorkerResult} as one JSON line, and keeps them open
 * until its stdin closes, so that the parent reads the server's memory while all are held.
 */
@Command(name = "connections-worker", hidden = true, description = "Internal: one generator process of 'bench connections'.")
final class BenchConnectionsWorkerCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--transport", required = true)
  private String transport;

  @Mixin private ServerUrlOption server;

  @Mixin private TcpPortOption tcpPort;

  @Option(names = "--tokens", required = true)
  private Path tokens;

  @Option(names = "--skip", required = true)
  private int skip;

  @Option(names = "--count", required = true)
  private int count;

  @Option(names = "--sources", required = true)
  private int sources;

  @Option(names = "--hold", required = true)
  private double holdSeconds;

  @Option(names = "--ping-interval", required = true)
  private double pingIntervalSeconds;

  @Override
  public Integer call() throws InterruptedException, IOException {
    ConnectionBench.Config config =
        new ConnectionBench.Config(
            transport,
            tcpPort.on(server.url()),
            server.url(),
            null,
            tokens,
            count,
            sources,
            1,
            BenchConnectionsCommand.seconds(holdSeconds),
            BenchConnectionsCommand.seconds(pingIntervalSeconds));
    List<BenchUser> users = BenchUser.readAll(tokens).subList(skip, skip + count);
    try (ConnectionWorker worker = new ConnectionWorker(ConnectionBench.workerConfig(config, users))) {
      WorkerResult result = worker.run();
      PrintWriter out = spec.commandLine().getOut();
      out.println(JsonOutput.of(result));
      out.flush();
      InputStream in = System.in;
      while (in.read() >= 0) {
        // The parent closes our stdin once it has read the server's memory.
      }
    }
    return 0;
  }
}
