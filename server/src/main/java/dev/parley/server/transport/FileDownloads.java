package dev.parley.server.transport;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.api.Replies;
import dev.parley.server.api.RestApi;
import dev.parley.server.api.RestResponse;
import dev.parley.server.files.DownloadService;
import dev.parley.server.files.DownloadService.Download;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code GET} and {@code HEAD /api/v1/files/<id>}: resumable downloads with RFC 9110 ranges
 * ({@code curl -C -}, browsers), a strong ETag (the SHA-256) for {@code If-Range}, and the bytes
 * sent from the page cache to the socket without passing through the heap (sendfile). A browser,
 * which cannot put a token on a link, first asks for a ticket and follows the link it gets.
 * {@code DELETE} on the same path is the sender deleting the file ({@link DownloadService#delete}).
 */
final class FileDownloads {
  static final String PREFIX = "/api/v1/files/";
  private static final String TICKET_SUFFIX = "/ticket";

  private final TransportContext context;
  private final Executor io;

  FileDownloads(TransportContext context, Executor io) {
    this.context = context;
    this.io = io;
  }

  /** Answers the request; the returned future completes once the reply is queued on the channel. */
  CompletableFuture<Void> serve(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String rest = uri.path().substring(PREFIX.length());
    if (rest.endsWith(TICKET_SUFFIX)) {
      return issueTicket(ctx, request, rest.substring(0, rest.length() - TICKET_SUFFIX.length()), keepAlive);
    }
    if (request.method().equals(HttpMethod.DELETE)) {
      return delete(ctx, request, rest, keepAlive);
    }
    boolean head = request.method().equals(HttpMethod.HEAD);
    if (!head && !request.method().equals(HttpMethod.GET)) {
      return reply(ctx, new RestResponse(405, null, new byte[0], Map.of("Allow", "GET, HEAD, DELETE")), keepAlive);
    }
    String token = RestApi.bearerToken(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    List<String> tickets = uri.parameters().get("ticket");
    if (token == null && tickets == null) {
      return fail(ctx, new ParleyException(ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <token>"), keepAlive);
    }
    String range = request.headers().get(HttpHeaderNames.RANGE);
    String ifRange = request.headers().get(HttpHeaderNames.IF_RANGE);
    DownloadService files = context.services().downloads();
    CompletableFuture<Download> download = token != null
        ? context.services().accounts().authenticate(token).thenApplyAsync(user -> files.open(user.user(), rest), io)
        : CompletableFuture.supplyAsync(() -> files.openWithTicket(tickets.getFirst(), rest), io);
    return download
        .thenApplyAsync(opened -> open(opened, range, ifRange), io)
        .thenCompose(opened -> {
          CompletableFuture<Void> written = new CompletableFuture<>();
          ctx.executor().execute(() -> {
            write(ctx, opened, head, keepAlive);
            written.complete(null);
          });
          return written;
        })
        .exceptionallyCompose(error -> error.getCause() instanceof ByteRange.Unsatisfiable unsatisfiable
            ? unsatisfiable(ctx, unsatisfiable, keepAlive)
            : fail(ctx, Replies.toParleyException(error), keepAlive));
  }

  /** {@code POST /api/v1/files/<id>/ticket}: a link to the file that works without a token, for a while. */
  private CompletableFuture<Void> issueTicket(ChannelHandlerContext ctx, FullHttpRequest request, String id, boolean keepAlive) {
    if (!request.method().equals(HttpMethod.POST)) {
      return reply(ctx, context.rest().methodNotAllowed("POST"), keepAlive);
    }
    String token = RestApi.bearerToken(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (token == null) {
      return fail(ctx, new ParleyException(ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <token>"), keepAlive);
    }
    return context.services().accounts().authenticate(token)
        .thenApplyAsync(user -> context.services().downloads().ticket(user.user(), id), io)
        .thenApply(ticket -> context.rest().json(200, new TicketBody(
            PREFIX + id + "?ticket=" + ticket.value(), ticket.expiresAtMillis())))
        .exceptionally(error -> context.rest().error(Replies.toParleyException(error)))
        .thenCompose(response -> reply(ctx, response, keepAlive));
  }

  /** {@code DELETE /api/v1/files/<id>}: the sender deletes a file they sent; 204. */
  private CompletableFuture<Void> delete(ChannelHandlerContext ctx, FullHttpRequest request, String id, boolean keepAlive) {
    String token = RestApi.bearerToken(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (token == null) {
      return fail(ctx, new ParleyException(ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <token>"), keepAlive);
    }
    return context.services().accounts().authenticate(token)
        .thenAcceptAsync(user -> context.services().downloads().delete(user.user(), id), io)
        .thenApply(deleted -> new RestResponse(204, null, new byte[0], Map.of()))
        .exceptionally(error -> context.rest().error(Replies.toParleyException(error)))
        .thenCompose(response -> reply(ctx, response, keepAlive));
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

  private static void write(ChannelHandlerContext ctx, Opened opened, boolean head, boolean keepAlive) {
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
      ctx.write(new DefaultFileRegion(opened.channel(), first, length));
    } else {
      closeQuietly(opened.channel());
    }
    ChannelFuture done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    if (!keepAlive) {
      done.addListener(ChannelFutureListener.CLOSE);
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
    ctx.executor().execute(() -> {
      HttpResponses.write(ctx, response, keepAlive);
      written.complete(null);
    });
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
