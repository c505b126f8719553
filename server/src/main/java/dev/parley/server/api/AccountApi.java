package dev.parley.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.account.Authenticated;
import dev.parley.server.account.SessionIds;
import dev.parley.server.store.LoginSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The caller's own account under {@code /api/v1/account}: who they are, their password, their
 * sessions (login tokens), and {@code GET /api/v1/registration}. Thread-safe.
 */
public final class AccountApi {
  private record AccountBody(String username, boolean admin) {}

  private record PasswordBody(String oldPassword, String newPassword) {}

  /** {@code current}: the session of the token this request came with; address and agent absent when unknown. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record SessionBody(String id, long created, long lastUsed, String address, String agent, boolean current) {}

  private record SessionsBody(List<SessionBody> sessions) {}

  private final Services services;
  private final RestApi rest;

  AccountApi(Services services, RestApi rest) {
    this.services = services;
    this.rest = rest;
  }

  /** {@code GET /api/v1/registration}: {@code {mode}}, so a client shows the invite field or hides the form. */
  public CompletableFuture<RestResponse> registration(RestRequest request, Caller caller) {
    return CompletableFuture.completedFuture(rest.ok(Map.of("mode", services.accounts().registration().wireName())));
  }

  public CompletableFuture<RestResponse> account(RestRequest request, Caller caller) {
    Authenticated me = caller.user();
    return services.accounts().isAdmin(me.user()).thenApply(admin -> rest.ok(new AccountBody(me.user().username(), admin)));
  }

  /** 204 once changed; every other session of the account has ended. */
  public CompletableFuture<RestResponse> changePassword(RestRequest request, Caller caller) {
    PasswordBody body = rest.body(request, PasswordBody.class, "a JSON object with string fields oldPassword and newPassword");
    if (body.oldPassword() == null || body.newPassword() == null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "oldPassword and newPassword are required");
    }
    return services.accounts().changePassword(caller.user(), body.oldPassword(), body.newPassword(), request.remoteAddress())
        .thenApply(done -> RestResponse.noContent());
  }

  public CompletableFuture<RestResponse> sessions(RestRequest request, Caller caller) {
    String current = caller.user().tokenHash();
    return services.accounts().sessions(caller.user()).thenApply(list -> rest.ok(new SessionsBody(
        list.stream().map(session -> wire(session, current)).toList())));
  }

  public CompletableFuture<RestResponse> endSession(RestRequest request, Caller caller) {
    return services.accounts().endSession(caller.user(), request.pathParams().get("id"))
        .thenApply(done -> RestResponse.noContent());
  }

  /** "Log out everywhere": {@code {ended: N}}, the other sessions that ended. */
  public CompletableFuture<RestResponse> endOtherSessions(RestRequest request, Caller caller) {
    return services.accounts().endOtherSessions(caller.user()).thenApply(ended -> rest.ok(Map.of("ended", ended)));
  }

  private static SessionBody wire(LoginSession session, String currentTokenHash) {
    return new SessionBody(
        SessionIds.of(session.tokenHash()), session.createdAtMillis(), session.lastUsedAtMillis(),
        session.clientAddress(), session.clientAgent(), session.tokenHash().equals(currentTokenHash));
  }
}
