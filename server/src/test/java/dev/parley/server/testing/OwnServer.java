package dev.parley.server.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * In a {@link ParleyServerTest} class: this test (on a method), or every test (on the class), gets
 * a fresh server and data directory of its own instead of sharing the class's, for tests that
 * must see an empty server or that leave one in a state others should not meet. A method with its
 * own {@link ServerSetting}s gets its own server without this.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface OwnServer {}
