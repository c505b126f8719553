package dev.parley.server.transport;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.account.Authenticated;
import dev.parley.server.api.Caller;
import dev.parley.server.api.Replies;
import dev.parley.server.api.RestResponse;
import dev.parley.server.files.ChunkChecksum;
import dev.parley.server.files.PatchWriter;
import dev.parley.server.files.UploadService;
import dev.parley.server.store.UploadRecord;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tus request: OPTIONS, POST (creation, with or without a body), HEAD, PATCH or DELETE on
 * {@code /api/v1/uploads[/<id>]}, as routed by {@link HttpRoutes}: the tus headers in, a service
 * call, the tus headers out. A body streams to disk through a {@link BodyStream}.
 */
final class UploadExchange {
  static final String PATH = "/api/v1/uploads";
  private static final Logger log = LoggerFactory.getLogger(UploadExchange.class);
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final ChannelHandlerContext ctx;
  private final TransportContext context;
  private final Executor io;
  private final HttpRequest request;
  private final UploadService uploads;
  private final String method;
  private final String uploadId;
  private final boolean keepAlive;
  private final boolean hasBody;

  private final BodyStream body;
  private final AtomicBoolean responded = new AtomicBoolean();
  private volatile boolean bodyEnded;
  private volatile boolean discardBody;
  /** For a POST with a body: the upload it created, for the Location of the reply. */
  private volatile UploadRecord created;

  /**
   * @param method the request's method, or the one its {@code X-HTTP-Method-Override} names
   * @param uploadId the upload the path names, or null for {@code /api/v1/uploads} itself
   */
  UploadExchange(
      ChannelHandlerContext ctx, TransportContext context, Executor io, HttpRequest request, String method, String uploadId) {
    this.ctx = ctx;
    this.context = context;
    this.io = io;
    this.request = request;
    this.uploads = context.services().uploads();
    this.method = method;
    this.uploadId = uploadId;
    this.keepAlive = HttpUtil.isKeepAlive(request);
    this.hasBody = HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request);
    this.body = new BodyStream(ctx, io, this::finished, this::fail);
  }

  /**
   * On the event loop, when the request line and headers are in.
   *
   * @param admit the route's gate, asked only once the tus version is known to be right (OPTIONS
   *     needs no version)
   */
  void start(Supplier<CompletableFuture<Caller>> admit) {
    if (!method.equals("OPTIONS") && !TusHeaders.VERSION.equals(request.headers().get(TusHeaders.TUS_RESUMABLE))) {
      discardBody = true;
      fail(new ParleyException(ErrorCode.UNSUPPORTED_VERSION, "this server speaks tus " + TusHeaders.VERSION + " only"));
      return;
    }
    ctx.channel().config().setAutoRead(false);
    admit.get()
        .thenAcceptAsync(this::prepare, io)
        .exceptionally(error -> {
          fail(error);
          return null;
        });
  }

  /** On the event loop, instead of {@link #start}: the request is answered without being run. */
  void refuse(RestResponse response) {
    discardBody = true;
    respond(response);
  }

  /** On the event loop, for every piece of the body as it arrives. */
  void onContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    if (last) {
      bodyEnded = true;
    }
    if (discardBody) {
      content.release();
      if (last) {
        body.resumeReading();
      }
      return;
    }
    body.add(content.content(), last);
  }

  /** The client went away mid-body: what arrived is kept, the upload is freed for a resume. */
  void onConnectionLost() {
    body.connectionLost();
  }

  private void prepare(Caller caller) {
    switch (method) {
      case "OPTIONS" -> {
        discardBody = true;
        respond(204, Map.of(
            TusHeaders.TUS_VERSION, TusHeaders.VERSION,
            TusHeaders.TUS_EXTENSION, TusHeaders.EXTENSIONS,
            TusHeaders.TUS_MAX_SIZE, String.valueOf(uploads.limits().maxFileBytes()),
            TusHeaders.TUS_CHECKSUM_ALGORITHM, String.join(",", ChunkChecksum.ALGORITHMS)));
      }
      case "POST" -> create(caller.user());
      case "HEAD" -> head(caller.user());
      case "PATCH" -> patch(caller.user());
      case "DELETE" -> {
        uploads.terminate(caller.user().user(), uploadId);
        discardBody = true;
        respond(204, Map.of());
      }
      default -> throw new IllegalStateException("no tus route for " + method);
    }
  }

  private void create(Authenticated user) {
    String length = request.headers().get(TusHeaders.UPLOAD_LENGTH);
    String defer = request.headers().get(TusHeaders.UPLOAD_DEFER_LENGTH);
    if ((length == null) == (defer == null) || (defer != null && !defer.equals("1"))) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "send either Upload-Length or Upload-Defer-Length: 1");
    }
    UploadRecord upload =
        uploads.create(user.user(), length == null ? null : nonNegative(length, TusHeaders.UPLOAD_LENGTH),
            request.headers().get(TusHeaders.UPLOAD_METADATA));
    created = upload;
    if (hasBody) {
      requireOffsetStream();
      startBody(uploads.beginPatch(user.user(), upload.id(), 0, null, bodyBytes(), checksum()));
    } else {
      discardBody = true;
      respond(201, createdHeaders(upload, upload.offset()));
    }
  }

  private void head(Authenticated user) {
    discardBody = true;
    UploadRecord upload = uploads.status(user.user(), uploadId);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(TusHeaders.UPLOAD_OFFSET, String.valueOf(upload.offset()));
    if (upload.length() != null) {
      headers.put(TusHeaders.UPLOAD_LENGTH, String.valueOf(upload.length()));
    } else {
      headers.put(TusHeaders.UPLOAD_DEFER_LENGTH, "1");
    }
    if (!upload.metadata().isEmpty()) {
      headers.put(TusHeaders.UPLOAD_METADATA, upload.metadata());
    }
    headers.put(TusHeaders.UPLOAD_EXPIRES, HTTP_DATE.format(Instant.ofEpochMilli(upload.expiresAtMillis())));
    respond(200, headers);
  }

  private void patch(Authenticated user) {
    requireOffsetStream();
    String offset = request.headers().get(TusHeaders.UPLOAD_OFFSET);
    if (offset == null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "a PATCH needs Upload-Offset");
    }
    String length = request.headers().get(TusHeaders.UPLOAD_LENGTH);
    startBody(uploads.beginPatch(
        user.user(),
        uploadId,
        nonNegative(offset, TusHeaders.UPLOAD_OFFSET),
        length == null ? null : nonNegative(length, TusHeaders.UPLOAD_LENGTH),
        bodyBytes(),
        checksum()));
  }

  /** The body's Content-Length, or -1 for a chunked body. */
  private long bodyBytes() {
    return HttpUtil.isTransferEncodingChunked(request) ? -1 : HttpUtil.getContentLength(request, 0L);
  }

  private void startBody(PatchWriter patch) {
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    body.start(patch);
  }

  /** The whole body is written and the upload updated (and, if it was the last byte, completed). */
  private void finished(long offset) {
    if (created != null) {
      respond(201, createdHeaders(created, offset));
    } else {
      respond(204, Map.of(
          TusHeaders.UPLOAD_OFFSET, String.valueOf(offset),
          TusHeaders.UPLOAD_EXPIRES, HTTP_DATE.format(Instant.ofEpochMilli(uploads.expiryFromNow()))));
    }
  }

  private Map<String, String> createdHeaders(UploadRecord upload, long offset) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(HttpHeaderNames.LOCATION.toString(), PATH + "/" + upload.id());
    headers.put(TusHeaders.UPLOAD_OFFSET, String.valueOf(offset));
    headers.put(TusHeaders.UPLOAD_EXPIRES, HTTP_DATE.format(Instant.ofEpochMilli(upload.expiresAtMillis())));
    return headers;
  }

  private ChunkChecksum checksum() {
    return ChunkChecksum.parse(request.headers().get(TusHeaders.UPLOAD_CHECKSUM));
  }

  private void requireOffsetStream() {
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (type == null || !type.split(";")[0].strip().equalsIgnoreCase(TusHeaders.OFFSET_OCTET_STREAM)) {
      throw new ParleyException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be " + TusHeaders.OFFSET_OCTET_STREAM);
    }
  }

  private static long nonNegative(String value, String header) {
    try {
      long parsed = Long.parseLong(value.strip());
      if (parsed >= 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // Reported below, with the header's name.
    }
    throw new ParleyException(ErrorCode.BAD_REQUEST, header + " must be a whole number of bytes");
  }

  private void fail(Throwable error) {
    discardBody = true;
    body.stop();
    ParleyException failure = Replies.toParleyException(error);
    if (failure.code() == ErrorCode.INTERNAL_ERROR) {
      log.error("upload request {} {} failed", method, request.uri(), error);
    }
    RestResponse body = context.rest().error(failure);
    Map<String, String> headers = new LinkedHashMap<>(body.headers());
    if (failure.code() == ErrorCode.UNSUPPORTED_VERSION) {
      headers.put(TusHeaders.TUS_VERSION, TusHeaders.VERSION);
    }
    respond(new RestResponse(body.status(), body.contentType(), body.body(), headers));
  }

  private void respond(int status, Map<String, String> headers) {
    respond(new RestResponse(status, null, new byte[0], headers));
  }

  private void respond(RestResponse response) {
    if (!responded.compareAndSet(false, true)) {
      return;
    }
    body.stop();
    Map<String, String> headers = new LinkedHashMap<>(response.headers());
    headers.put(TusHeaders.TUS_RESUMABLE, TusHeaders.VERSION);
    RestResponse withTus = new RestResponse(response.status(), response.contentType(), response.body(), headers);
    ctx.executor().execute(() -> {
      // A reply before the whole body was read ends the connection: the rest of the body would
      // otherwise be read as the next request.
      boolean reuse = keepAlive && (bodyEnded || !hasBody);
      HttpResponses.write(ctx, withTus, reuse);
      if (reuse) {
        body.resumeReading();
      }
    });
  }
}
