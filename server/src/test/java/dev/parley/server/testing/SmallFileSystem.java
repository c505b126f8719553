package dev.parley.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real, tiny file system (tmpfs) for disk-full tests, mounted on a fresh temp directory and
 * unmounted on close. Mounting needs root (CI has it); without it the test is skipped, saying why.
 */
public final class SmallFileSystem implements AutoCloseable {
  private final Path root;

  private SmallFileSystem(Path root) {
    this.root = root;
  }

  /** Mounts a tmpfs of {@code size} (as mount takes it, e.g. {@code 8m}). */
  public static SmallFileSystem mount(String size) {
    try {
      Path root = Files.createTempDirectory("parley-small-fs");
      boolean mounted = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", root.toString()));
      if (!mounted) {
        Files.delete(root);
      }
      assumeTrue(mounted, "cannot mount a tmpfs here (needs root): the disk-full test is skipped");
      return new SmallFileSystem(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  /** Writes a file until the file system is full; deleting it frees the space again. */
  public Path fill() {
    return fillLeaving(0);
  }

  /** Writes a file until only about {@code freeBytes} are left; deleting it frees the space again. */
  public Path fillLeaving(long freeBytes) {
    Path filler = root.resolve("filler");
    ByteBuffer block = ByteBuffer.allocate(64 << 10);
    try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (true) {
        channel.write(block.clear());
      }
    } catch (IOException full) {
      // "No space left on device": the point.
    }
    if (freeBytes > 0) {
      try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.WRITE)) {
        channel.truncate(Math.max(0, channel.size() - freeBytes));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return filler;
  }

  @Override
  public void close() {
    run(List.of("umount", root.toString()));
    try {
      Files.deleteIfExists(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
