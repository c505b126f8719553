package dev.parley.server.api;

import dev.parley.server.account.AccountService;
import dev.parley.server.chat.ChatService;
import dev.parley.server.files.DownloadService;
import dev.parley.server.files.UploadService;
import dev.parley.server.health.HealthChecks;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.presence.PresenceService;
import dev.parley.server.presence.UserDirectory;

/** What the protocol surfaces (frames and REST) call into, plus the limits they enforce. */
public record Services(
    AccountService accounts,
    ChatService chat,
    PresenceService presence,
    UserDirectory directory,
    UploadService uploads,
    DownloadService downloads,
    ServerMetrics metrics,
    int usersPageDefault,
    int usersPageMax,
    int historyPageDefault,
    int historyPageMax,
    int outboundQueueFrames,
    HealthChecks health) {}
