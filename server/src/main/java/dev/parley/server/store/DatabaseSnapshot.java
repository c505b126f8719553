package dev.parley.server.store;

import java.util.List;
import java.util.Map;

/** A consistent copy of the database, taken for a backup; one thread uses it. */
public interface DatabaseSnapshot {
  /** Ids of the files the copy references whose bytes should exist, sorted. */
  List<String> liveFileIds();

  /**
   * Records in the copy that these files were deleted: their sender deleted them after the copy
   * was taken and before their bytes could be copied, which is what a restore should show.
   */
  void markFilesDeleted(List<String> ids, long nowMillis);

  /** Row counts by kind (users, conversations, messages, files), in a stable order. */
  Map<String, Long> counts();
}
