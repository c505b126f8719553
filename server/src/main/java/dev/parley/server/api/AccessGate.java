package dev.parley.server.api;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.account.AccountService;
import dev.parley.server.account.Tokens;
import dev.parley.server.files.DownloadService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The one place where HTTP requests are authenticated: every route passes its request here, with
 * its {@link Access}, before the handler runs, and the handler receives the {@link Caller}. Checks
 * that every request must pass belong here too: the {@link CrossSiteRules} come before the
 * caller's credentials are looked at. Thread-safe.
 */
public final class AccessGate {
  private static final Caller ANONYMOUS = new Caller.Anonymous();

  private final AccountService accounts;
  private final DownloadService downloads;
  private final CrossSiteRules crossSite;
  /** SHA-256 of metrics-token, or null: compared digest to digest, so neither length nor content leaks. */
  private final byte[] metricsTokenHash;

  /** @param metricsToken the secret that {@link Access#METRICS_TOKEN} asks for, or null for none */
  public AccessGate(AccountService accounts, DownloadService downloads, CrossSiteRules crossSite, String metricsToken) {
    this.accounts = accounts;
    this.downloads = downloads;
    this.crossSite = crossSite;
    this.metricsTokenHash = metricsToken == null ? null : sha256(metricsToken);
  }

  /** What the gate reads of a request: no transport types. */
  public record Credentials(String authorization, Map<String, List<String>> query, Map<String, String> pathParams) {
    String queryParam(String name) {
      List<String> values = query.get(name);
      return values == null || values.isEmpty() ? null : values.getFirst();
    }
  }

  /** The caller, or a future failed with the {@link ParleyException} to answer instead. */
  public CompletableFuture<Caller> admit(Access access, CrossSiteRules.Provenance provenance, Credentials request) {
    ParleyException siteRefusal = crossSite.checkSite(provenance);
    if (siteRefusal != null) {
      return CompletableFuture.failedFuture(siteRefusal);
    }
    return authenticate(access, request).thenApply(caller -> {
      ParleyException bodyRefusal = crossSite.checkBody(provenance);
      if (bodyRefusal != null) {
        throw bodyRefusal;
      }
      return caller;
    });
  }

  private CompletableFuture<Caller> authenticate(Access access, Credentials request) {
    String token = bearerToken(request.authorization());
    return switch (access) {
      case NONE -> CompletableFuture.completedFuture(ANONYMOUS);
      case TOKEN -> token != null ? withToken(token) : missingToken();
      case ADMIN -> token != null ? withToken(token).thenCompose(this::requireAdmin) : missingToken();
      case TOKEN_OR_TICKET -> {
        String ticket = request.queryParam("ticket");
        if (token == null && ticket != null) {
          yield withTicket(ticket, request.pathParams().get("id"));
        }
        yield token != null ? withToken(token) : missingToken();
      }
      case TOKEN_IF_GIVEN -> {
        String given = token != null ? token : request.queryParam("token");
        yield given == null
            ? CompletableFuture.completedFuture(ANONYMOUS)
            : withToken(given).exceptionallyCompose(error -> CompletableFuture.failedFuture(
                new ParleyException(ErrorCode.UNAUTHORIZED, "unknown or expired token")));
      }
      case METRICS_TOKEN -> metricsTokenHash != null && token != null && MessageDigest.isEqual(metricsTokenHash, sha256(token))
          ? CompletableFuture.completedFuture(ANONYMOUS)
          : CompletableFuture.failedFuture(new ParleyException(ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <metrics-token>"));
    };
  }

  private static byte[] sha256(String secret) {
    return Tokens.hash(secret).getBytes(StandardCharsets.US_ASCII);
  }

  private CompletableFuture<Caller> withToken(String token) {
    return accounts.authenticate(token).thenApply(Caller.WithToken::new);
  }

  private CompletableFuture<Caller> requireAdmin(Caller caller) {
    return accounts.isAdmin(caller.user().user()).thenApply(admin -> {
      if (!admin) {
        throw new ParleyException(ErrorCode.FORBIDDEN, "only an admin may do this");
      }
      return caller;
    });
  }

  /** A ticket is checked here, on the caller's thread: it is a MAC, with nothing to look up. */
  private CompletableFuture<Caller> withTicket(String ticket, String fileId) {
    try {
      return CompletableFuture.completedFuture(new Caller.WithTicket(downloads.ticketHolder(ticket, fileId)));
    } catch (ParleyException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static CompletableFuture<Caller> missingToken() {
    return CompletableFuture.failedFuture(new ParleyException(ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <token>"));
  }

  /** The token from {@code Authorization: Bearer T}, or null. */
  private static String bearerToken(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).strip();
    return token.isEmpty() ? null : token;
  }
}
