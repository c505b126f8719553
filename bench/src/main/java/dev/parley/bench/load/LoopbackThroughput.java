package dev.parley.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Raw TCP over loopback in this process: one socket writes {@code bytes} from a 1 MiB direct
 * buffer to another that reads them into one, what iperf3 does with one stream. The ceiling a
 * file transfer over loopback is compared with, measured in the same run as the transfer.
 */
final class LoopbackThroughput {
  private static final int BUFFER_BYTES = 1 << 20;

  private LoopbackThroughput() {}

  /** Seconds from the first byte written to the last byte read. */
  static double seconds(long bytes) {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> drain(listener));
      try (SocketChannel writer = SocketChannel.open(listener.getLocalAddress())) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        long start = System.nanoTime();
        long left = bytes;
        while (left > 0) {
          buffer.clear().limit((int) Math.min(BUFFER_BYTES, left));
          while (buffer.hasRemaining()) {
            left -= writer.write(buffer);
          }
        }
        writer.shutdownOutput();
        long read = received.get();
        if (read != bytes) {
          throw new IllegalStateException("loopback reader got " + read + " of " + bytes + " bytes");
        }
        return (System.nanoTime() - start) / 1e9;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("loopback measurement failed", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("loopback measurement failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Accepts one connection and counts what arrives until the writer shuts its side. */
  private static long drain(ServerSocketChannel listener) {
    try (SocketChannel reader = listener.accept()) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
      long total = 0;
      int n;
      while ((n = reader.read(buffer.clear())) >= 0) {
        total += n;
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
