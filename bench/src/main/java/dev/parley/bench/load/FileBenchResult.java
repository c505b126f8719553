package dev.parley.bench.load;

/**
 * What one {@code bench files} run measured. MB/s are 10^6 bytes per second, as iperf3 and curl
 * report them; the ratios compare each transfer with raw loopback TCP in the same run.
 *
 * @param chunkBytes the client's bytes per tus {@code PATCH}
 * @param download through the client library: into a file, then its SHA-256 checked
 * @param streamedDownload the same file as one plain GET, the body dropped unread
 * @param downloadedBytes the size of the downloaded copy
 * @param hashMatches whether the copy's SHA-256, the server's and the generated file's agree
 * @param sha256 the generated file's SHA-256, in hex
 * @param heapMiB the server's heap before, after the upload and after the download
 */
public record FileBenchResult(
    long sizeBytes,
    long chunkBytes,
    Transfer rawLoopback,
    Transfer upload,
    Transfer download,
    Transfer streamedDownload,
    double uploadToRaw,
    double downloadToRaw,
    double streamedDownloadToRaw,
    long downloadedBytes,
    boolean hashMatches,
    String sha256,
    Heap heapMiB) {

  /** One timed movement of the bytes. */
  public record Transfer(double seconds, double megabytesPerSecond) {
    static Transfer of(long bytes, double seconds) {
      return new Transfer(seconds, bytes / seconds / 1e6);
    }
  }

  /** The server's heap at the three points of a run. */
  public record Heap(ServerHeap before, ServerHeap afterUpload, ServerHeap afterDownload) {}

  static FileBenchResult of(
      long sizeBytes,
      long chunkBytes,
      double rawSeconds,
      double uploadSeconds,
      double downloadSeconds,
      double streamedDownloadSeconds,
      long downloadedBytes,
      boolean hashMatches,
      String sha256,
      Heap heap) {
    Transfer raw = Transfer.of(sizeBytes, rawSeconds);
    Transfer upload = Transfer.of(sizeBytes, uploadSeconds);
    Transfer download = Transfer.of(sizeBytes, downloadSeconds);
    Transfer streamed = Transfer.of(sizeBytes, streamedDownloadSeconds);
    return new FileBenchResult(
        sizeBytes,
        chunkBytes,
        raw,
        upload,
        download,
        streamed,
        upload.megabytesPerSecond() / raw.megabytesPerSecond(),
        download.megabytesPerSecond() / raw.megabytesPerSecond(),
        streamed.megabytesPerSecond() / raw.megabytesPerSecond(),
        downloadedBytes,
        hashMatches,
        sha256,
        heap);
  }

  /** Whether the downloaded copy is the uploaded file, byte for byte. */
  public boolean intact() {
    return hashMatches && downloadedBytes == sizeBytes;
  }
}
