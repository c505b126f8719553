package dev.parley.bench;

import dev.parley.app.CommandFailedException;
import static dev.parley.bench.BenchReport.format;

import dev.parley.bench.load.BenchUser;
import dev.parley.bench.load.FileBench;
import dev.parley.bench.load.FileBenchResult;
import dev.parley.bench.load.ServerHeap;
import dev.parley.client.ParleyClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the result as a table, or one JSON object; exits 1 if the downloaded copy differs. */
@Command(
    name = "files",
    mixinStandardHelpOptions = true,
    description = {
      "Raw loopback TCP throughput, then a file of --size random bytes uploaded (tus) by user 0 of the",
      "token file to user 1, and downloaded (HTTP Range) by user 1, through the Java client library;",
      "MB/s of each, the ratios to raw loopback, the SHA-256 check, and the server's heap from /metrics (at --admin).",
      "An https --server (with --fingerprint for a self-signed certificate) measures the same over TLS."
    })
final class BenchFilesCommand implements Callable<Integer> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB)");

  @Spec private CommandSpec spec;

  @Mixin private ServerUrlOption server;

  @Mixin private AdminUrlOption admin;

  @Option(names = "--tokens", required = true, paramLabel = "FILE", description = "Token file from 'parley admin mint-tokens', at least 2 users.")
  private Path tokens;

  @Option(names = "--size", defaultValue = "1GiB", paramLabel = "SIZE", description = "File size: bytes, or with KiB, MiB, GiB (default: ${DEFAULT-VALUE}).")
  private String size;

  @Option(
      names = "--temp-dir",
      paramLabel = "DIR",
      description = "Where the generated file and the downloaded copy go for the run (default: the system's).")
  private Path tempDir;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  private boolean json;

  @Override
  public Integer call() throws IOException, InterruptedException {
    URI url = server.urlOrTlsUrl();
    URI adminUrl = admin.url();
    List<BenchUser> users = BenchUser.readAll(tokens);
    if (users.size() < 2) {
      throw new CommandFailedException(tokens + " has " + users.size() + " users; the files bench needs 2");
    }
    Path temp = tempDir != null ? tempDir : Path.of(System.getProperty("java.io.tmpdir"));
    FileBenchResult result;
    try {
      result = FileBench.run(new FileBench.Config(url, server.trust(), adminUrl, users.get(0), users.get(1), bytes(size), temp));
    } catch (ParleyClientException | UncheckedIOException | IllegalStateException e) {
      throw new CommandFailedException("files bench failed: " + e.getMessage());
    }
    BenchReport.print(spec, json, result, table -> printTable(table, result));
    return result.intact() ? 0 : 1;
  }

  static long bytes(String size) {
    Matcher matcher = SIZE.matcher(size.strip());
    if (!matcher.matches()) {
      throw new CommandFailedException("--size takes bytes, or a number with KiB, MiB or GiB, not " + size);
    }
    int shift =
        switch (matcher.group(2)) {
          case "KiB" -> 10;
          case "MiB" -> 20;
          case "GiB" -> 30;
          default -> 0;
        };
    return Long.parseLong(matcher.group(1)) << shift;
  }

  private static void printTable(BenchReport out, FileBenchResult r) {
    out.row("size", r.sizeBytes() + " B (" + format("%.1f MiB", r.sizeBytes() / 1048576.0) + ")");
    out.row("raw loopback", transfer(r.rawLoopback()));
    out.row("upload", transfer(r.upload()) + format("  %.2f of raw  (tus, %d MiB chunks)", r.uploadToRaw(), r.chunkBytes() >> 20));
    out.row("download", transfer(r.download()) + format("  %.2f of raw", r.downloadToRaw()));
    out.row("download (plain GET)", transfer(r.streamedDownload()) + format("  %.2f of raw", r.streamedDownloadToRaw()));
    out.row("sha-256", r.sha256() + (r.intact() ? " (copy matches)" : " (COPY DIFFERS: " + r.downloadedBytes() + " B)"));
    out.row("heap before", heap(r.heapMiB().before()));
    out.row("heap upload", heap(r.heapMiB().afterUpload()));
    out.row("heap download", heap(r.heapMiB().afterDownload()));
  }

  private static String transfer(FileBenchResult.Transfer t) {
    return format("%8.1f MB/s  (%.2f s)", t.megabytesPerSecond(), t.seconds());
  }

  private static String heap(ServerHeap heap) {
    return format("%.1f MiB used", heap.usedMiB()) + (heap.oldGenMiB() == null ? "" : format(", old gen %.1f MiB", heap.oldGenMiB()));
  }
}
