package dev.parley.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The JSON codec for frames in both directions. Decoding is strict: no type coercion (a number is
 * not a string), no duplicate keys, no trailing content, bounded nesting. Unknown fields are
 * ignored so that newer clients can talk to older servers. Invalid UTF-8 (overlong forms included)
 * is refused. Thread-safe.
 */
public final class FrameCodec {
  private static final int MAX_NESTING_DEPTH = 16;
  /** Jackson's own default, spelled out so that the error can name it. */
  private static final int MAX_NUMBER_DIGITS = 1000;
  private static final String NOT_AN_OBJECT = "a frame must be exactly one JSON object";
  private static final Pattern JACKSON_LOCATION = Pattern.compile("\\s*(\\(start marker at|\\n at \\[Source).*", Pattern.DOTALL);

  private final ObjectMapper mapper;
  private final ObjectReader clientFrames;
  private final ObjectReader serverFrames;
  private final ObjectWriter clientWriter;
  private final ObjectWriter serverWriter;

  public FrameCodec() {
    mapper =
        JsonMapper.builder(JsonFactory.builder().inputDecorator(new StrictUtf8()).build())
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    mapper.getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_DIGITS)
            .build());
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    clientFrames = mapper.readerFor(ClientFrame.class);
    serverFrames = mapper.readerFor(ServerFrame.class);
    clientWriter = mapper.writerFor(ClientFrame.class);
    serverWriter = mapper.writerFor(ServerFrame.class);
  }

  /** The shared mapper, configured as above, for JSON bodies that are not frames (HTTP APIs). */
  public ObjectMapper mapper() {
    return mapper;
  }

  public ClientFrame decodeClient(byte[] bytes, int offset, int length) throws MalformedFrameException {
    return decode(clientFrames, bytes, offset, length);
  }

  public ClientFrame decodeClient(String json) throws MalformedFrameException {
    byte[] bytes = json.getBytes(UTF_8);
    return decodeClient(bytes, 0, bytes.length);
  }

  public ServerFrame decodeServer(byte[] bytes, int offset, int length) throws MalformedFrameException {
    return decode(serverFrames, bytes, offset, length);
  }

  public ServerFrame decodeServer(String json) throws MalformedFrameException {
    byte[] bytes = json.getBytes(UTF_8);
    return decodeServer(bytes, 0, bytes.length);
  }

  public byte[] encode(ServerFrame frame) {
    if (StreamedFrames.handles(frame)) {
      return streamed(frame, 0);
    }
    try {
      return serverWriter.writeValueAsBytes(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("server frame not serialisable: " + frame.getClass(), e);
    }
  }

  /** The frame's JSON and a line feed, in one array: a TCP line as it goes out. */
  public byte[] encodeLine(ServerFrame frame) {
    if (StreamedFrames.handles(frame)) {
      byte[] line = streamed(frame, 1);
      line[line.length - 1] = '\n';
      return line;
    }
    byte[] json = encode(frame);
    byte[] line = Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    return line;
  }

  public void encode(ServerFrame frame, OutputStream out) {
    try {
      if (StreamedFrames.handles(frame)) {
        try (JsonGenerator generator = mapper.getFactory().createGenerator(out)) {
          StreamedFrames.write(frame, generator);
        }
      } else {
        serverWriter.writeValue(out, frame);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A streamed frame's bytes in an array of exactly their size, plus {@code spare} bytes at the end. */
  private byte[] streamed(ServerFrame frame, int spare) {
    FrameBytes bytes = new FrameBytes(spare);
    encode(frame, bytes);
    return bytes.toArray();
  }

  /**
   * Takes what a generator flushes, which for a frame smaller than the generator's recycled buffer
   * (8 KB) is one write at close, straight into an array of the final size: no growing buffer and
   * no copy out of one.
   */
  private static final class FrameBytes extends OutputStream {
    private final int spare;
    private byte[] bytes = new byte[0];
    private int length;

    FrameBytes(int spare) {
      this.spare = spare;
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int count) {
      ensure(count);
      System.arraycopy(source, offset, bytes, length, count);
      length += count;
    }

    private void ensure(int more) {
      if (length + more + spare > bytes.length) {
        bytes = Arrays.copyOf(bytes, length + more + spare);
      }
    }

    byte[] toArray() {
      return length + spare == bytes.length ? bytes : Arrays.copyOf(bytes, length + spare);
    }
  }

  public String encodeToString(ServerFrame frame) {
    return new String(encode(frame), UTF_8);
  }

  public String encodeToString(ClientFrame frame) {
    try {
      return clientWriter.writeValueAsString(frame);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("client frame not serialisable: " + frame.getClass(), e);
    }
  }

  private <T> T decode(ObjectReader reader, byte[] bytes, int offset, int length) throws MalformedFrameException {
    String problem;
    try (JsonParser parser = mapper.createParser(bytes, offset, length)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        problem = "empty frame";
      } else if (first != JsonToken.START_OBJECT) {
        problem = NOT_AN_OBJECT;
      } else {
        T frame = reader.readValue(parser);
        if (parser.nextToken() == null) {
          return frame;
        }
        problem = NOT_AN_OBJECT;
      }
    } catch (IOException e) {
      problem = describe(e);
    }
    throw new MalformedFrameException(problem, requestIdOf(bytes, offset, length));
  }

  private String requestIdOf(byte[] bytes, int offset, int length) {
    try {
      JsonNode id = mapper.readTree(bytes, offset, length).get("id");
      return id != null && id.isTextual() ? id.textValue() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String describe(IOException e) {
    return switch (e) {
      case InvalidTypeIdException t when t.getTypeId() == null -> "missing field 'type'";
      case InvalidTypeIdException t -> "unknown frame type '" + t.getTypeId() + "'";
      case ValueInstantiationException v when v.getCause() instanceof IllegalArgumentException cause ->
          cause.getMessage();
      case ValueInstantiationException v -> "a field has an invalid value";
      case MismatchedInputException m when m.getPath().isEmpty() -> NOT_AN_OBJECT;
      case MismatchedInputException m -> "field '" + path(m) + "' must be " + expected(m.getTargetType());
      case JsonMappingException m when m.getCause() instanceof InputCoercionException ->
          "field '" + path(m) + "' is out of range";
      case InputCoercionException c -> "a number is out of range";
      case StreamConstraintsException c when c.getMessage().startsWith("Number value length") ->
          "a number has more than " + MAX_NUMBER_DIGITS + " digits";
      case StreamConstraintsException c -> "frame nests too deeply";
      case JsonProcessingException p ->
          "malformed JSON: " + JACKSON_LOCATION.matcher(p.getOriginalMessage()).replaceFirst("");
      default -> "unreadable frame";
    };
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "an integer";
    }
    if (List.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }
}
