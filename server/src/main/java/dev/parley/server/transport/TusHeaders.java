package dev.parley.server.transport;

/** The header names and values of tus 1.0.0 that Parley speaks. */
final class TusHeaders {
  static final String VERSION = "1.0.0";
  static final String TUS_RESUMABLE = "Tus-Resumable";
  static final String TUS_VERSION = "Tus-Version";
  static final String TUS_EXTENSION = "Tus-Extension";
  static final String TUS_MAX_SIZE = "Tus-Max-Size";
  static final String TUS_CHECKSUM_ALGORITHM = "Tus-Checksum-Algorithm";
  static final String UPLOAD_OFFSET = "Upload-Offset";
  static final String UPLOAD_LENGTH = "Upload-Length";
  static final String UPLOAD_DEFER_LENGTH = "Upload-Defer-Length";
  static final String UPLOAD_METADATA = "Upload-Metadata";
  static final String UPLOAD_EXPIRES = "Upload-Expires";
  static final String UPLOAD_CHECKSUM = "Upload-Checksum";
  static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";
  static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
  static final String EXTENSIONS =
      "creation,creation-with-upload,creation-defer-length,expiration,checksum,termination";

  private TusHeaders() {}
}
