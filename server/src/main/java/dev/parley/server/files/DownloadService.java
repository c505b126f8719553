package dev.parley.server.files;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.store.FileRecord;
import dev.parley.server.store.FileStore;
import dev.parley.server.store.User;
import java.nio.file.Path;

/** Who may download a file (its sender and its recipient; to anyone else it does not exist), and where it is. */
public final class DownloadService {
  private final FileStore store;
  private final BlobStorage blobs;

  public DownloadService(FileStore store, BlobStorage blobs) {
    this.store = store;
    this.blobs = blobs;
  }

  /** A file the user may read, with its bytes on disk; blocks on the database. */
  public Download open(User user, String id) {
    FileRecord file = store.findFile(BlobStorage.requireId(id))
        .filter(f -> f.senderId() == user.id() || f.recipientId() == user.id())
        .orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "no such file"));
    return new Download(file, blobs.file(file.id()));
  }

  public record Download(FileRecord file, Path path) {}
}
