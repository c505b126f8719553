package dev.parley.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.account.Administration;
import dev.parley.server.account.InviteCodes;
import dev.parley.server.store.Invite;
import dev.parley.server.store.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The admin API under {@code /api/v1/admin}: every route has {@link Access#ADMIN}, so the caller
 * is an admin by the time a method here runs. Thread-safe.
 */
public final class AdminApi {
  private record UserBody(
      String username, long created, Long lastSeen, boolean online, boolean disabled, boolean admin, boolean passwordChangeRequired) {}

  private record UsersBody(List<UserBody> users) {}

  /** {@code POST /api/v1/admin/invites}: both optional, 1 use and no expiry by default. */
  private record NewInviteBody(Integer uses, String expires) {}

  /** {@code code} and {@code link} only when it was just created; {@code expires} only when it does. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  private record InviteBody(
      long id, String createdBy, long created, Long expires, int maxUses, int uses, boolean revoked, String code, String link) {}

  private record InvitesBody(List<InviteBody> invites) {}

  private final Services services;
  private final RestApi rest;

  AdminApi(Services services, RestApi rest) {
    this.services = services;
    this.rest = rest;
  }

  public CompletableFuture<RestResponse> users(RestRequest request, Caller caller) {
    int limit = Replies.pageSize(RestApi.intParam(request, "limit"), services.users());
    return admin().users(request.queryParam("prefix"), limit).thenApply(list -> rest.ok(new UsersBody(list.stream()
        .map(entry -> new UserBody(
            entry.account().user().username(), entry.account().createdAtMillis(), entry.account().lastSeenAtMillis(),
            entry.online(), entry.account().disabled(), entry.account().admin(), entry.account().passwordChangeRequired()))
        .toList())));
  }

  /** {@code {username, temporaryPassword}}: shown once, to hand to the user. */
  public CompletableFuture<RestResponse> resetPassword(RestRequest request, Caller caller) {
    String name = request.pathParams().get("name");
    return admin().resetPassword(me(caller), name)
        .thenApply(temporary -> rest.ok(Map.of("username", name, "temporaryPassword", temporary)));
  }

  public CompletableFuture<RestResponse> disable(RestRequest request, Caller caller) {
    return done(admin().disable(me(caller), request.pathParams().get("name")));
  }

  public CompletableFuture<RestResponse> enable(RestRequest request, Caller caller) {
    return done(admin().enable(me(caller), request.pathParams().get("name")));
  }

  public CompletableFuture<RestResponse> delete(RestRequest request, Caller caller) {
    return done(admin().delete(me(caller), request.pathParams().get("name")));
  }

  public CompletableFuture<RestResponse> grantAdmin(RestRequest request, Caller caller) {
    return done(admin().setAdmin(me(caller), request.pathParams().get("name"), true));
  }

  public CompletableFuture<RestResponse> revokeAdmin(RestRequest request, Caller caller) {
    return done(admin().setAdmin(me(caller), request.pathParams().get("name"), false));
  }

  /** 201 with the invite, its code and its link: the only time the code is shown. */
  public CompletableFuture<RestResponse> createInvite(RestRequest request, Caller caller) {
    NewInviteBody body = request.body().length == 0
        ? new NewInviteBody(null, null)
        : rest.body(request, NewInviteBody.class, "a JSON object with optional fields uses (a number) and expires (30m, 12h, 7d)");
    Duration lifetime = body.expires() == null ? null : InviteCodes.parseLifetime(body.expires());
    int uses = body.uses() == null ? 1 : body.uses();
    return admin().createInvite(me(caller), uses, lifetime).thenApply(created -> rest.json(201,
        wire(created.invite(), created.code(), inviteLink(request, created.code()))));
  }

  public CompletableFuture<RestResponse> invites(RestRequest request, Caller caller) {
    return admin().invites().thenApply(list -> rest.ok(new InvitesBody(list.stream().map(i -> wire(i, null, null)).toList())));
  }

  public CompletableFuture<RestResponse> revokeInvite(RestRequest request, Caller caller) {
    long id;
    try {
      id = Long.parseLong(request.pathParams().get("id"));
    } catch (NumberFormatException e) {
      throw new ParleyException(ErrorCode.NOT_FOUND, "no invite " + request.pathParams().get("id"));
    }
    return done(admin().revokeInvite(me(caller), id));
  }

  private Administration admin() {
    return services.admin();
  }

  private static User me(Caller caller) {
    return caller.user().user();
  }

  private static CompletableFuture<RestResponse> done(CompletableFuture<Void> action) {
    return action.thenApply(nothing -> RestResponse.noContent());
  }

  /**
   * The web client's address, as the admin reached it, with the code in its fragment, which
   * browsers never send to a server (so it stays out of access logs).
   */
  private static String inviteLink(RestRequest request, String code) {
    return request.host() == null ? null : "http://" + request.host() + "/#invite=" + code;
  }

  private static InviteBody wire(Invite invite, String code, String link) {
    return new InviteBody(invite.id(), invite.createdBy(), invite.createdAtMillis(), invite.expiresAtMillis(), invite.maxUses(),
        invite.uses(), invite.revokedAtMillis() != null, code, link);
  }
}
