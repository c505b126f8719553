package dev.parley.server.files;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tus {@code Upload-Metadata} header: comma-separated pairs of an ASCII key and a base64
 * value. Parley reads {@code filename} (required), {@code to} or {@code room} (one of them),
 * {@code type} (or {@code filetype}, which tus-js-client's examples send) and {@code sha256}.
 */
public record UploadMetadata(String filename, String to, String room, String type, String sha256) {
  private static final Pattern KEY = Pattern.compile("[!-+\\--~]+");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  public static UploadMetadata parse(String header) {
    Map<String, String> pairs = new LinkedHashMap<>();
    if (header != null && !header.isBlank()) {
      for (String pair : header.split(",")) {
        String[] parts = pair.strip().split(" ", -1);
        if (parts.length > 2 || !KEY.matcher(parts[0]).matches()) {
          throw bad("Upload-Metadata must be comma-separated 'key base64value' pairs");
        }
        if (pairs.put(parts[0], parts.length == 2 ? decode(parts[0], parts[1]) : "") != null) {
          throw bad("Upload-Metadata repeats the key '" + parts[0] + "'");
        }
      }
    }
    String filename = pairs.get("filename");
    String to = pairs.get("to");
    String room = pairs.get("room");
    if (filename == null || filename.isBlank()) {
      throw bad("Upload-Metadata needs 'filename'");
    }
    boolean toUser = to != null && !to.isBlank();
    boolean toRoom = room != null && !room.isBlank();
    if (toUser && toRoom) {
      throw bad("Upload-Metadata has both 'to' and 'room'; give one");
    }
    if (!toUser && !toRoom) {
      throw bad("Upload-Metadata needs 'to', the recipient's username, or 'room'");
    }
    String sha256 = pairs.get("sha256");
    if (sha256 != null && !SHA256_HEX.matcher(sha256).matches()) {
      throw bad("Upload-Metadata 'sha256' must be 64 hex digits");
    }
    String type = pairs.get("type") != null ? pairs.get("type") : pairs.get("filetype");
    return new UploadMetadata(
        FileNames.clean(filename),
        toUser ? to : null,
        toRoom ? room : null,
        type == null || type.isBlank() ? null : type.strip(),
        sha256 == null ? null : sha256.toLowerCase(Locale.ROOT));
  }

  private static String decode(String key, String value) {
    try {
      byte[] bytes = Base64.getDecoder().decode(value);
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      throw bad("Upload-Metadata '" + key + "' is not base64 of UTF-8 text");
    }
  }

  private static ParleyException bad(String message) {
    return new ParleyException(ErrorCode.BAD_REQUEST, message);
  }
}
