package dev.parley.server.api;

import dev.parley.server.account.AccountService;
import dev.parley.server.account.Administration;
import dev.parley.server.chat.ChatService;
import dev.parley.server.config.ConnectionLimits;
import dev.parley.server.config.PageLimits;
import dev.parley.server.files.DownloadService;
import dev.parley.server.files.UploadService;
import dev.parley.server.health.HealthChecks;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.presence.PresenceService;
import dev.parley.server.presence.UserDirectory;

/**
 * What the protocol surfaces (frames and REST) call into, plus the limits they enforce.
 *
 * @param admin what admins do to accounts and invites
 * @param users pages of the user listing
 * @param history pages of a conversation's history
 * @param connections what one connection may send and hold
 * @param health what {@code /healthz} reports
 */
public record Services(
    AccountService accounts,
    Administration admin,
    ChatService chat,
    PresenceService presence,
    UserDirectory directory,
    UploadService uploads,
    DownloadService downloads,
    ServerMetrics metrics,
    PageLimits users,
    PageLimits history,
    ConnectionLimits connections,
    HealthChecks health) {}
