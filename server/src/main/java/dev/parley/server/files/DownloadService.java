package dev.parley.server.files;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.store.FileRecord;
import dev.parley.server.store.FileStore;
import dev.parley.server.store.User;
import java.nio.file.Path;

/**
 * Who may download a file (its sender and its recipient; to anyone else it does not exist), where
 * it is, and the download tickets that let a browser link to it.
 */
public final class DownloadService {
  private final FileStore store;
  private final BlobStorage blobs;
  private final DownloadTickets tickets;

  public DownloadService(FileStore store, BlobStorage blobs, DownloadTickets tickets) {
    this.store = store;
    this.blobs = blobs;
    this.tickets = tickets;
  }

  /** A file the user may read, with its bytes on disk; blocks on the database. */
  public Download open(User user, String id) {
    return open(user.id(), id);
  }

  /** The user a ticket for file {@code id} was issued to; fails with 401 if it is not good for it. */
  public long ticketHolder(String ticket, String id) {
    return tickets.verify(ticket, id)
        .orElseThrow(() -> new ParleyException(ErrorCode.UNAUTHORIZED, "unknown or expired ticket"));
  }

  /** A ticket for a file the user may read; blocks on the database. */
  public DownloadTickets.Ticket ticket(User user, String id) {
    return tickets.issue(user.id(), open(user.id(), id).file().id());
  }

  /** A file the user may read, with its bytes on disk; blocks on the database. */
  public Download open(long userId, String id) {
    FileRecord file = store.findFile(BlobStorage.requireId(id))
        .filter(f -> f.senderId() == userId || f.recipientId() == userId)
        .orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "no such file"));
    return new Download(file, blobs.file(file.id()));
  }

  public record Download(FileRecord file, Path path) {}
}
