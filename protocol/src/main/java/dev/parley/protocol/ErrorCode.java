package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The stable error codes of the protocol, each with the HTTP status that carries it. */
public enum ErrorCode {
  BAD_REQUEST("bad_request", 400),
  UNAUTHORIZED("unauthorized", 401),
  /**
   * A state-changing HTTP request or WebSocket upgrade from a browser page of another site: its
   * Origin is neither the server's own nor in allowed-origins.
   */
  FORBIDDEN_ORIGIN("forbidden_origin", 403),
  NOT_FOUND("not_found", 404),
  /** The user's role in a room does not allow the action, or a non-admin called the admin API. */
  FORBIDDEN("forbidden", 403),
  /** With public-url set, an HTTP request whose Host is none of the server's names (DNS rebinding). */
  MISDIRECTED_REQUEST("misdirected_request", 421),
  TOO_LARGE("too_large", 413),
  RATE_LIMITED("rate_limited", 429),
  /** The user's files and uploads would take more than max-storage-bytes-per-user. */
  QUOTA_EXCEEDED("quota_exceeded", 413),
  /** The file existed but its sender deleted it. */
  GONE("gone", 410),
  INVALID_USERNAME("invalid_username", 400),
  WEAK_PASSWORD("weak_password", 400),
  USERNAME_TAKEN("username_taken", 409),
  BAD_CREDENTIALS("bad_credentials", 401),
  /** tus: the client's Upload-Offset is not the server's. */
  OFFSET_MISMATCH("offset_mismatch", 409),
  /** tus: another request is writing to this upload right now. */
  UPLOAD_LOCKED("upload_locked", 423),
  /** tus: the upload expired and was removed. */
  UPLOAD_EXPIRED("upload_expired", 410),
  /** tus: the request's Tus-Resumable version is not 1.0.0. */
  UNSUPPORTED_VERSION("unsupported_version", 412),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
  /** tus checksum extension: the body does not match Upload-Checksum, or the file not its sha256. */
  CHECKSUM_MISMATCH("checksum_mismatch", 460),
  /** HTTP Range: no byte of the requested range exists. */
  RANGE_NOT_SATISFIABLE("range_not_satisfiable", 416),
  /** The server holds as many connections as it may (max-connections); this one is refused. */
  SERVER_FULL("server_full", 503),
  /** The client's IP address holds as many connections as it may (max-connections-per-address). */
  TOO_MANY_CONNECTIONS("too_many_connections", 429),
  /** The server's disk is full: the request was not carried out (nothing of it was stored); retry later. */
  STORAGE_FULL("storage_full", 507),
  /** The account was disabled by an admin: login is refused until it is enabled again. */
  ACCOUNT_DISABLED("account_disabled", 403),
  /**
   * An admin reset the password: log in again with the temporary password and a
   * {@code newPassword} to choose the new one.
   */
  PASSWORD_CHANGE_REQUIRED("password_change_required", 403),
  /** The server's {@code registration} is {@code closed}: only admins create accounts (invites). */
  REGISTRATION_CLOSED("registration_closed", 403),
  /** The server's {@code registration} is {@code invite} and no invite code was given. */
  INVITE_REQUIRED("invite_required", 403),
  /** No invite has this code. */
  INVITE_INVALID("invite_invalid", 403),
  INVITE_EXPIRED("invite_expired", 403),
  /** The invite was used as many times as it allows. */
  INVITE_USED_UP("invite_used_up", 403),
  /** An admin revoked the invite. */
  INVITE_REVOKED("invite_revoked", 403),
  INTERNAL_ERROR("internal_error", 500);

  private static final Map<String, ErrorCode> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(c -> c.wireName, Function.identity()));

  private final String wireName;
  private final int httpStatus;

  ErrorCode(String wireName, int httpStatus) {
    this.wireName = wireName;
    this.httpStatus = httpStatus;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Unknown codes (from a newer server) map to {@link #INTERNAL_ERROR} rather than failing the read. */
  @JsonCreator
  public static ErrorCode fromWireName(String wireName) {
    return BY_WIRE_NAME.getOrDefault(wireName, INTERNAL_ERROR);
  }
}
