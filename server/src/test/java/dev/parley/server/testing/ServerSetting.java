package dev.parley.server.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One setting (a configuration key as in the README, and its value as it would be written in the
 * config file) that overrides {@link TestServer}'s defaults for the server of a
 * {@link ParleyServerTest} class, or, on a method, for that method's own server.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Repeatable(ServerSetting.List.class)
public @interface ServerSetting {
  String key();

  String value();

  /** The container that lets {@link ServerSetting} repeat. */
  @Target({ElementType.TYPE, ElementType.METHOD})
  @Retention(RetentionPolicy.RUNTIME)
  @interface List {
    ServerSetting[] value();
  }
}
