package dev.parley.server.backup;

import java.io.IOException;

/** A backup or restore refused: its message says why and is meant for the operator. */
public final class BackupException extends IOException {
  public BackupException(String message) {
    super(message);
  }
}
