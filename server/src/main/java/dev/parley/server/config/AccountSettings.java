package dev.parley.server.config;

import java.time.Duration;

/**
 * Registration, login and tokens.
 *
 * @param tokenTtl a token unused for this long expires
 * @param registrationLimits registrations allowed per client address and server-wide
 * @param registration who may register
 */
public record AccountSettings(
    Duration tokenTtl,
    ServerConfig.PasswordPolicy passwordPolicy,
    ServerConfig.Argon2Cost argon2,
    ServerConfig.LoginLimits loginLimits,
    ServerConfig.RegistrationLimits registrationLimits,
    RegistrationMode registration) {}
