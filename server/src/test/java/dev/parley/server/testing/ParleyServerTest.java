package dev.parley.server.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real {@link TestServer} that the test never starts or stops itself.
 * Test methods, lifecycle methods ({@code @BeforeAll}, {@code @BeforeEach}) and constructors ask for
 * what they need by parameter: the {@link TestServer}, {@link TestUsers} to create logged-in users
 * on it, or an {@link Http} or {@link Tus} client pointed at it.
 *
 * <p>By default one server serves the whole class and is closed after its last test. A method that
 * carries its own {@link ServerSetting}s gets a fresh server of its own (the class's settings plus
 * the method's), as does a method marked {@link OwnServer}, or every test when the class is; such a
 * server lives for that test (each invocation of a parameterized test) only.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ParleyServerExtension.class)
public @interface ParleyServerTest {}
