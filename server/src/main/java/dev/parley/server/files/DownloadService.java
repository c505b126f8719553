package dev.parley.server.files;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.store.FileRecord;
import dev.parley.server.store.FileStore;
import dev.parley.server.store.User;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may download a file (its sender and its recipient; for a file sent to a room, the room's
 * current members; to anyone else it does not exist), where
 * it is, the download tickets that let a browser link to it, and its deletion by its sender.
 */
public final class DownloadService {
  private static final Logger log = LoggerFactory.getLogger(DownloadService.class);

  private final FileStore store;
  private final BlobStorage blobs;
  private final DownloadTickets tickets;
  private final Clock clock;
  private final RoomReaders roomReaders;

  /** Who may read a file sent to a room. */
  @FunctionalInterface
  public interface RoomReaders {
    /** Empty for a file not sent to a room; else whether the user is a member of that room now. */
    Optional<Boolean> isMemberOfRoomOf(String fileId, long userId);
  }

  public DownloadService(FileStore store, BlobStorage blobs, DownloadTickets tickets, Clock clock, RoomReaders roomReaders) {
    this.store = store;
    this.blobs = blobs;
    this.tickets = tickets;
    this.clock = clock;
    this.roomReaders = roomReaders;
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

  /**
   * Deletes a file its sender sent: its bytes leave the disk and the sender's storage quota, its
   * message stays in the history, and downloads get {@code gone} from now on. To anyone but the
   * sender the file does not exist ({@code not_found}); deleting it again is {@code gone}. A
   * download already under way finishes (its open file outlives the name). Blocks on the database.
   */
  public void delete(User sender, String id) {
    FileRecord file = store.findFile(BlobStorage.requireId(id))
        .filter(f -> f.senderId() == sender.id())
        .orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "no such file"));
    if (file.deleted() || !store.markFileDeleted(file.id(), clock.millis())) {
      throw gone();
    }
    try {
      blobs.deleteFile(file.id());
    } catch (IOException e) {
      // The file is deleted for every reader and the quota already; only the disk keeps the bytes.
      log.warn("could not remove the bytes of deleted file {}", file.id(), e);
    }
  }

  /** A file the user may read, with its bytes on disk; blocks on the database. */
  public Download open(long userId, String id) {
    FileRecord file = store.findFile(BlobStorage.requireId(id))
        .filter(f -> roomReaders.isMemberOfRoomOf(f.id(), userId)
            .orElseGet(() -> f.senderId() == userId || f.recipientId() == userId))
        .orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "no such file"));
    if (file.deleted()) {
      throw gone();
    }
    return new Download(file, blobs.file(file.id()));
  }

  private static ParleyException gone() {
    return new ParleyException(ErrorCode.GONE, "the sender deleted this file");
  }

  public record Download(FileRecord file, Path path) {}
}
