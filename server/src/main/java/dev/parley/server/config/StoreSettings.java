package dev.parley.server.config;

import java.nio.file.Path;

/**
 * Where the data lives and how it is read.
 *
 * @param dataDir the database and the uploaded files
 * @param dbReaderThreads threads running reads (history, listings, logins) against the store
 * @param walMaxBytes the SQLite WAL file is truncated (new commits waiting meanwhile) once it passes this
 * @param database a PostgreSQL URL ({@code postgresql://...}), or null for SQLite in the data directory
 * @param filesDir where uploads and files' bytes live: the data directory unless {@code files-dir} names
 *     another, which every node of a cluster shares
 */
public record StoreSettings(Path dataDir, int dbReaderThreads, long walMaxBytes, String database, Path filesDir) {}
