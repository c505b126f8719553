package dev.parley.server.api;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.config.PageLimits;
import dev.parley.server.store.StorageFullException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns whatever a service failed with into the {@link ParleyException} the peer is told about. */
public final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);
  /** How the JDK words ENOSPC on Linux and macOS. */
  private static final String NO_SPACE = "No space left on device";

  private Replies() {}

  public static ParleyException toParleyException(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ParleyException parley) {
      return parley;
    }
    if (cause instanceof StorageFullException) {
      // The store logs a full disk once per episode; a trace per request would flood the log.
      return new ParleyException(ErrorCode.STORAGE_FULL, "the server's storage is full; try again later");
    }
    if (cause instanceof IOException io && NO_SPACE.equals(io.getMessage())) {
      log.warn("a file write failed: the disk is full");
      return new ParleyException(ErrorCode.STORAGE_FULL, "the server's storage is full; try again later");
    }
    log.error("request failed", cause);
    return new ParleyException(ErrorCode.INTERNAL_ERROR, "internal error");
  }

  /** {@code limit} for a listing: absent means the default, over the maximum is clamped. */
  static int pageSize(Integer limit, PageLimits pages) {
    if (limit == null) {
      return pages.defaultSize();
    }
    if (limit < 1) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "limit must be at least 1");
    }
    return Math.min(limit, pages.maxSize());
  }
}
