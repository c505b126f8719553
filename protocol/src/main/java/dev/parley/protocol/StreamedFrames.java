package dev.parley.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.List;

/**
 * The frames the server sends most, {@code message} and {@code ack}, written field by field with
 * Jackson's streaming API: no serializer lookup, no reflection over the record, no boxing, no
 * intermediate tree. Every message a server delivers passes through here once (and every ack),
 * which is why it is worth the hand-written code. The bytes are exactly what the data-binding
 * writer produces for the same frame, field order and omitted nulls included
 * ({@code FrameCodecTest} holds the two side by side); a field added to either record must be
 * added here. Stateless and thread-safe.
 */
final class StreamedFrames {
  private static final SerializableString TYPE = name("type");
  private static final SerializableString MESSAGE = name("message");
  private static final SerializableString ACK = name("ack");
  private static final SerializableString ID = name("id");
  private static final SerializableString SEQ = name("seq");
  private static final SerializableString TS = name("ts");
  private static final SerializableString ROOM = name("room");
  private static final SerializableString FROM = name("from");
  private static final SerializableString FROM_DELETED = name("fromDeleted");
  private static final SerializableString TO = name("to");
  private static final SerializableString EDITS = name("edits");
  private static final SerializableString DELETES = name("deletes");
  private static final SerializableString TEXT = name("text");
  private static final SerializableString FILE = name("file");
  private static final SerializableString EVENT = name("event");
  private static final SerializableString EDITED = name("edited");
  private static final SerializableString DELETED = name("deleted");
  private static final SerializableString MENTIONS = name("mentions");
  private static final SerializableString NAME = name("name");
  private static final SerializableString SIZE = name("size");
  private static final SerializableString SHA256 = name("sha256");
  private static final SerializableString KIND = name("kind");
  private static final SerializableString USER = name("user");

  private StreamedFrames() {}

  /** Whether {@link #write} takes this frame; the rest go through data binding. */
  static boolean handles(ServerFrame frame) {
    return frame instanceof ServerFrame.Message || frame instanceof ServerFrame.Ack;
  }

  static void write(ServerFrame frame, JsonGenerator out) throws IOException {
    switch (frame) {
      case ServerFrame.Message message -> message(message, out);
      case ServerFrame.Ack ack -> ack(ack, out);
      default -> throw new IllegalArgumentException("not a streamed frame: " + frame.getClass().getSimpleName());
    }
  }

  private static void ack(ServerFrame.Ack ack, JsonGenerator out) throws IOException {
    begin(out, ACK);
    optional(out, ID, ack.id());
    number(out, SEQ, ack.seq());
    number(out, TS, ack.ts());
    out.writeEndObject();
  }

  private static void message(ServerFrame.Message message, JsonGenerator out) throws IOException {
    begin(out, MESSAGE);
    number(out, SEQ, message.seq());
    optional(out, ROOM, message.room());
    optional(out, FROM, message.from());
    optional(out, FROM_DELETED, message.fromDeleted());
    optional(out, TO, message.to());
    optional(out, EDITS, message.edits());
    optional(out, DELETES, message.deletes());
    optional(out, TEXT, message.text());
    if (message.file() != null) {
      out.writeFieldName(FILE);
      file(message.file(), out);
    }
    if (message.event() != null) {
      out.writeFieldName(EVENT);
      event(message.event(), out);
    }
    optional(out, EDITED, message.edited());
    optional(out, DELETED, message.deleted());
    if (message.mentions() != null) {
      out.writeFieldName(MENTIONS);
      strings(message.mentions(), out);
    }
    number(out, TS, message.ts());
    out.writeEndObject();
  }

  /** A file reference writes its absent fields as null, as data binding does: only {@code deleted} is left out. */
  private static void file(ServerFrame.FileRef file, JsonGenerator out) throws IOException {
    out.writeStartObject();
    string(out, ID, file.id());
    string(out, NAME, file.name());
    number(out, SIZE, file.size());
    string(out, SHA256, file.sha256());
    string(out, TYPE, file.type());
    optional(out, DELETED, file.deleted());
    out.writeEndObject();
  }

  private static void event(ServerFrame.Event event, JsonGenerator out) throws IOException {
    out.writeStartObject();
    if (event.kind() != null) {
      out.writeFieldName(KIND);
      out.writeString(event.kind().wireName());
    }
    optional(out, USER, event.user());
    optional(out, NAME, event.name());
    out.writeEndObject();
  }

  private static void strings(List<String> values, JsonGenerator out) throws IOException {
    out.writeStartArray();
    for (String value : values) {
      out.writeString(value);
    }
    out.writeEndArray();
  }

  /** Opens a frame's object with its {@code type}, which comes first. */
  private static void begin(JsonGenerator out, SerializableString type) throws IOException {
    out.writeStartObject();
    out.writeFieldName(TYPE);
    out.writeString(type);
  }

  private static void number(JsonGenerator out, SerializableString field, long value) throws IOException {
    out.writeFieldName(field);
    out.writeNumber(value);
  }

  /** A string field written even when null. */
  private static void string(JsonGenerator out, SerializableString field, String value) throws IOException {
    out.writeFieldName(field);
    out.writeString(value);
  }

  private static void optional(JsonGenerator out, SerializableString field, String value) throws IOException {
    if (value != null) {
      string(out, field, value);
    }
  }

  private static void optional(JsonGenerator out, SerializableString field, Long value) throws IOException {
    if (value != null) {
      number(out, field, value.longValue());
    }
  }

  private static void optional(JsonGenerator out, SerializableString field, Boolean value) throws IOException {
    if (value != null) {
      out.writeFieldName(field);
      out.writeBoolean(value);
    }
  }

  private static SerializableString name(String value) {
    return new SerializedString(value);
  }
}
