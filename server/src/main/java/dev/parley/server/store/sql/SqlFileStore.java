package dev.parley.server.store.sql;

import dev.parley.server.store.FileRecord;
import dev.parley.server.store.FileStore;
import dev.parley.server.store.UploadRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

public final class SqlFileStore implements FileStore {
  /** The columns of a file, read by {@link #file(ResultSet, int)}; qualified with {@code f}. */
  static final String FILE_COLUMNS = "f.id, f.sender_id, f.recipient_id, f.name, f.size, f.sha256, f.type, f.created_at, f.deleted_at";

  private static final String UPLOAD_COLUMNS =
      "id, owner_id, recipient_id, filename, type, expected_sha256, length, upload_offset, metadata, created_at, expires_at";

  private final SqlDatabase database;

  public SqlFileStore(SqlDatabase database) {
    this.database = database;
  }

  @Override
  public void createUpload(UploadRecord upload) {
    database.write(connection -> {
      insertUpload(connection, upload);
      return null;
    });
  }

  private static void insertUpload(Connection connection, UploadRecord upload) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO uploads(" + UPLOAD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      Object[] values = {upload.id(), upload.ownerId(), upload.recipientId(), upload.filename(), upload.type(),
          upload.expectedSha256(), upload.length(), upload.offset(), upload.metadata(), upload.createdAtMillis(),
          upload.expiresAtMillis()};
      for (int i = 0; i < values.length; i++) {
        insert.setObject(i + 1, values[i]);
      }
      insert.executeUpdate();
    }
  }

  @Override
  public Optional<UploadRecord> findUpload(String id) {
    List<UploadRecord> found = uploads("SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE id = ?", id);
    return found.stream().findFirst();
  }

  @Override
  public void saveProgress(String id, long offset, long expiresAtMillis) {
    database.update("UPDATE uploads SET upload_offset = ?, expires_at = ? WHERE id = ?", offset, expiresAtMillis, id);
  }

  @Override
  public void saveLength(String id, long length) {
    database.update("UPDATE uploads SET length = ? WHERE id = ?", length, id);
  }

  @Override
  public void deleteUpload(String id) {
    database.update("DELETE FROM uploads WHERE id = ?", id);
  }

  @Override
  public Admission createUploadWithin(UploadRecord upload, int maxUploads, long maxBytes, long nowMillis) {
    return database.write(connection -> {
      database.lockUser(connection, upload.ownerId());
      int uploads = countUploads(connection, upload.ownerId());
      long used = storageUsed(connection, upload.ownerId(), nowMillis);
      long adding = upload.length() == null ? 0 : upload.length();
      if (uploads >= maxUploads || used + adding > maxBytes) {
        return new Admission(false, uploads, used);
      }
      insertUpload(connection, upload);
      return new Admission(true, uploads, used);
    });
  }

  @Override
  public int countUploads(long ownerId) {
    return database.read(connection -> countUploads(connection, ownerId));
  }

  private static int countUploads(Connection connection, long ownerId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM uploads WHERE owner_id = ?")) {
      query.setLong(1, ownerId);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  @Override
  public List<UploadRecord> uploadsExpiredBy(long nowMillis) {
    return uploads("SELECT " + UPLOAD_COLUMNS + " FROM uploads WHERE expires_at <= ?", nowMillis);
  }

  @Override
  public List<UploadRecord> allUploads() {
    return uploads("SELECT " + UPLOAD_COLUMNS + " FROM uploads");
  }

  @Override
  public Optional<FileRecord> findFile(String id) {
    return database.read(
        connection -> {
          try (PreparedStatement query = connection.prepareStatement("SELECT " + FILE_COLUMNS + " FROM files f WHERE f.id = ?")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.ofNullable(file(rows, 1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public long storageUsed(long ownerId, long nowMillis) {
    return database.read(connection -> storageUsed(connection, ownerId, nowMillis));
  }

  private static long storageUsed(Connection connection, long ownerId, long nowMillis) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT (SELECT coalesce(sum(size), 0) FROM files WHERE sender_id = ? AND deleted_at IS NULL)"
                + " + (SELECT coalesce(sum(coalesce(length, upload_offset)), 0) FROM uploads"
                + " WHERE owner_id = ? AND expires_at > ?)")) {
      query.setLong(1, ownerId);
      query.setLong(2, ownerId);
      query.setLong(3, nowMillis);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  @Override
  public boolean markFileDeleted(String id, long nowMillis) {
    return database.update("UPDATE files SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", nowMillis, id) > 0;
  }

  /**
   * Within the transaction that stores the file's message: the file row, and its upload gone.
   * {@code roomKey}: the room it was sent to, or null for a direct file.
   */
  static void insertFileAndEndUpload(Connection connection, FileRecord file, String roomKey) throws SQLException {
    try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO files(id, sender_id, recipient_id, name, size, sha256, type, created_at, room_key) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        PreparedStatement delete = connection.prepareStatement("DELETE FROM uploads WHERE id = ?")) {
      insert.setString(1, file.id());
      insert.setLong(2, file.senderId());
      insert.setLong(3, file.recipientId());
      insert.setString(4, file.name());
      insert.setLong(5, file.size());
      insert.setString(6, file.sha256());
      insert.setString(7, file.type());
      insert.setLong(8, file.createdAtMillis());
      insert.setString(9, roomKey);
      insert.executeUpdate();
      delete.setString(1, file.id());
      delete.executeUpdate();
    }
  }

  /** The file in the columns starting at {@code first} (see {@link #FILE_COLUMNS}), or null. */
  static FileRecord file(ResultSet rows, int first) throws SQLException {
    String id = rows.getString(first);
    if (id == null) {
      return null;
    }
    return new FileRecord(
        id,
        rows.getLong(first + 1),
        rows.getLong(first + 2),
        rows.getString(first + 3),
        rows.getLong(first + 4),
        rows.getString(first + 5),
        rows.getString(first + 6),
        rows.getLong(first + 7),
        rows.getObject(first + 8) != null);
  }

  private List<UploadRecord> uploads(String sql, Object... parameters) {
    return database.read(
        connection -> {
          try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
              query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
              List<UploadRecord> uploads = new ArrayList<>();
              while (rows.next()) {
                long length = rows.getLong(7);
                Long maybeLength = rows.wasNull() ? null : length;
                uploads.add(
                    new UploadRecord(
                        rows.getString(1),
                        rows.getLong(2),
                        rows.getLong(3),
                        rows.getString(4),
                        rows.getString(5),
                        rows.getString(6),
                        maybeLength,
                        rows.getLong(8),
                        rows.getString(9),
                        rows.getLong(10),
                        rows.getLong(11)));
              }
              return uploads;
            }
          }
        });
  }
}
