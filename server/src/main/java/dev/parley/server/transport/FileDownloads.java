package dev.parley.server.transport;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.api.Caller;
import dev.parley.server.api.Replies;
import dev.parley.server.api.RestRequest;
import dev.parley.server.api.RestResponse;
import dev.parley.server.files.DownloadService.Download;
import dev.parley.server.files.DownloadService;
import dev.parley.server.files.FileNames;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code GET} and {@code HEAD /api/v1/files/<id>}: resumable downloads with RFC 9110 ranges
 * ({@code curl -C -}, browsers), a strong ETag (the SHA-256) for {@code If-Range}, and the bytes
 * sent from the page cache to the socket without passing through the heap (sendfile). A browser,
 * which cannot put a token on a link, first asks for a ticket ({@link #ticket}) and follows the
 * link it gets: the route table lets such a request in with the ticket instead of a token.
 * {@code DELETE} on the same path is the sender deleting the file ({@link #delete}).
 */
final class FileDownloads implements HttpEndpoint.Exchange {
  private static final String PREFIX = "/api/v1/files/";
  /** Four TLS records' worth: few enough writes, and little memory per download. */
  private static final int TLS_CHUNK_BYTES = 64 * 1024;

  private final TransportContext context;
  private final Executor io;

  FileDownloads(TransportContext context, Executor io) {
    this.context = context;
    this.io = io;
  }

  /** Empty, as the downloads have always answered it. */
  @Override
  public RestResponse methodNotAllowed(String allow) {
    return new RestResponse(405, null, new byte[0], Map.of("Allow", allow));
  }

  /**
   * Answers the request; the returned future completes once the reply is written, so that a
   * connection pipelining downloads has one file open at a time, not one per request.
   */
  @Override
  public CompletableFuture<Void> serve(
      ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri, Map<String, String> pathParams, Caller caller) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean head = request.method().equals(HttpMethod.HEAD);
    String id = pathParams.get("id");
    String range = request.headers().get(HttpHeaderNames.RANGE);
    String ifRange = request.headers().get(HttpHeaderNames.IF_RANGE);
    DownloadService files = context.services().downloads();
    return CompletableFuture
        .supplyAsync(() -> switch (caller) {
          case Caller.WithToken token -> files.open(token.user().user(), id);
          case Caller.WithTicket ticket -> files.open(ticket.userId(), id);
          case Caller.Anonymous anonymous -> throw new IllegalStateException("downloads are routed with a token or ticket");
        }, io)
        .thenApplyAsync(opened -> open(opened, range, ifRange), io)
        .thenCompose(opened -> {
          CompletableFuture<Void> written = new CompletableFuture<>();
          ctx.executor().execute(() -> write(ctx, opened, head, keepAlive).addListener(done -> written.complete(null)));
          return written;
        })
        .exceptionallyCompose(error -> error.getCause() instanceof ByteRange.Unsatisfiable unsatisfiable
            ? unsatisfiable(ctx, unsatisfiable, keepAlive)
            : fail(ctx, Replies.toParleyException(error), keepAlive));
  }

  /** {@code POST /api/v1/files/<id>/ticket}: a link to the file that works without a token, for a while. */
  CompletableFuture<RestResponse> ticket(RestRequest request, Caller caller) {
    String id = request.pathParams().get("id");
    return CompletableFuture.supplyAsync(() -> context.services().downloads().ticket(caller.user().user(), id), io)
        .thenApply(ticket -> context.rest().json(200, new TicketBody(
            PREFIX + id + "?ticket=" + ticket.value(), ticket.expiresAtMillis())));
  }

  /** {@code DELETE /api/v1/files/<id>}: the sender deletes a file they sent; 204. */
  CompletableFuture<RestResponse> delete(RestRequest request, Caller caller) {
    String id = request.pathParams().get("id");
    return CompletableFuture.runAsync(() -> context.services().downloads().delete(caller.user().user(), id), io)
        .thenApply(deleted -> new RestResponse(204, null, new byte[0], Map.of()));
  }

  /** @param url relative to the server, usable without a token until {@code expiresAt} (epoch ms) */
  private record TicketBody(String url, long expiresAt) {}

  private record Opened(Download download, FileChannel channel, ByteRange range) {}

  private static Opened open(Download download, String rangeHeader, String ifRange) {
    long size = download.file().size();
    boolean rangeApplies = rangeHeader != null && (ifRange == null || ifRange.strip().equals(etag(download)));
    ByteRange range = rangeApplies ? ByteRange.parse(rangeHeader, size) : null;
    try {
      return new Opened(download, FileChannel.open(download.path(), StandardOpenOption.READ), range);
    } catch (IOException e) {
      throw new UncheckedIOException("file " + download.file().id() + " is missing from the data directory", e);
    }
  }

  private static ChannelFuture write(ChannelHandlerContext ctx, Opened opened, boolean head, boolean keepAlive) {
    long size = opened.download().file().size();
    ByteRange range = opened.range();
    long first = range == null ? 0 : range.first();
    long length = range == null ? size : range.length();
    HttpResponse response =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
    HttpHeaders headers = response.headers();
    headers.set(HttpHeaderNames.CONTENT_LENGTH, length)
        .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
        .set(HttpHeaderNames.ETAG, etag(opened.download()))
        // Always bytes, never the uploader's type: a file must not run as a page of this origin.
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
        .set(HttpHeaderNames.CONTENT_DISPOSITION, FileNames.contentDisposition(opened.download().file().name()))
        .set("X-Content-Type-Options", "nosniff")
        .set("Content-Security-Policy", "default-src 'none'; sandbox")
        .set(HttpHeaderNames.CACHE_CONTROL, "private, no-cache");
    if (range != null) {
      headers.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + size);
    }
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ctx.write(response);
    if (!head && length > 0) {
      ctx.write(body(ctx, opened.channel(), first, length));
    } else {
      closeQuietly(opened.channel());
    }
    ChannelFuture done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    if (!keepAlive) {
      done.addListener(ChannelFutureListener.CLOSE);
    }
    return done;
  }

  /**
   * Zero-copy from the file to the socket in plain text; under TLS, where bytes must pass through
   * the TLS engine, chunks read on the event loop as the connection drains.
   */
  private static Object body(ChannelHandlerContext ctx, FileChannel file, long first, long length) {
    if (ctx.pipeline().get(SslHandler.class) == null) {
      return new DefaultFileRegion(file, first, length);
    }
    try {
      return new ChunkedNioFile(file, first, length, TLS_CHUNK_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(Download download) {
    return "\"" + download.file().sha256() + "\"";
  }

  private CompletableFuture<Void> fail(ChannelHandlerContext ctx, ParleyException error, boolean keepAlive) {
    return reply(ctx, context.rest().error(error), keepAlive);
  }

  private CompletableFuture<Void> unsatisfiable(ChannelHandlerContext ctx, ByteRange.Unsatisfiable range, boolean keepAlive) {
    RestResponse body = context.rest().error(new ParleyException(ErrorCode.RANGE_NOT_SATISFIABLE, range.getMessage()));
    return reply(
        ctx,
        new RestResponse(body.status(), body.contentType(), body.body(), Map.of("Content-Range", "bytes */" + range.size)),
        keepAlive);
  }

  private static CompletableFuture<Void> reply(ChannelHandlerContext ctx, RestResponse response, boolean keepAlive) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    ctx.executor().execute(() -> HttpResponses.write(ctx, response, keepAlive).addListener(done -> written.complete(null)));
    return written;
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing was read from it; nothing to report.
    }
  }
}
