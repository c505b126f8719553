package dev.parley.server.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link ParleyServerTest}: resolves {@link TestServer}, {@link TestUsers},
 * {@link Http} and {@link Tus} parameters. The server starts when first asked for and is kept in
 * the JUnit store of its scope (the class, or the one test), which closes it when that scope ends.
 */
public final class ParleyServerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ParleyServerExtension.class);
  private static final List<Class<?>> RESOLVED = List.of(TestServer.class, TestUsers.class, Http.class, Tus.class);

  /** Constructors see the test they are built for, so that a test with its own server gets it there too. */
  @Override
  public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
    return ExtensionContextScope.TEST_METHOD;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return RESOLVED.contains(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext scope = scope(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == TestServer.class) {
      return server(scope);
    }
    if (type == TestUsers.class) {
      return stored(scope, TestUsers.class, TestUsers::new);
    }
    if (type == Http.class) {
      return stored(scope, Http.class, server -> new Http(server.http()));
    }
    return stored(scope, Tus.class, server -> new Tus(server.http()));
  }

  /** The context whose server a test uses: its own when it needs one, else its class's. */
  private static ExtensionContext scope(ExtensionContext context) {
    boolean ownServer = context.getTestMethod()
        .map(method -> AnnotationSupport.isAnnotated(method, OwnServer.class)
            || AnnotationSupport.isAnnotated(context.getRequiredTestClass(), OwnServer.class)
            || !settings(method).isEmpty())
        .orElse(false);
    if (ownServer) {
      return context;
    }
    ExtensionContext classScope = context;
    while (classScope.getTestMethod().isPresent()) {
      classScope = classScope.getParent().orElseThrow();
    }
    return classScope;
  }

  private static TestServer server(ExtensionContext scope) {
    return scope.getStore(NAMESPACE).getOrComputeIfAbsent(new Key(scope, TestServer.class), key -> start(scope), TestServer.class);
  }

  private static <T> T stored(ExtensionContext scope, Class<T> type, Function<TestServer, T> create) {
    TestServer server = server(scope);
    return scope.getStore(NAMESPACE).getOrComputeIfAbsent(new Key(scope, type), key -> create.apply(server), type);
  }

  private static TestServer start(ExtensionContext scope) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    classSettings(scope.getRequiredTestClass()).forEach(setting -> overrides.put(setting.key(), setting.value()));
    scope.getTestMethod().ifPresent(method -> settings(method).forEach(setting -> overrides.put(setting.key(), setting.value())));
    return TestServer.start(overrides);
  }

  /**
   * A store key that names its scope: a test's store also sees its class's values, and a test
   * with its own server must not be handed the class's.
   */
  private record Key(String scope, Class<?> type) {
    Key(ExtensionContext scope, Class<?> type) {
      this(scope.getUniqueId(), type);
    }
  }

  /**
   * The settings of the class and of the classes it extends, the subclass's last (so they win):
   * a subclass that runs a suite again on another database adds its setting to the suite's.
   */
  private static List<ServerSetting> classSettings(Class<?> testClass) {
    List<ServerSetting> settings = new ArrayList<>();
    if (testClass.getSuperclass() != null && testClass.getSuperclass() != Object.class) {
      settings.addAll(classSettings(testClass.getSuperclass()));
    }
    settings.addAll(settings(testClass));
    return settings;
  }

  private static List<ServerSetting> settings(AnnotatedElement element) {
    return AnnotationSupport.findRepeatableAnnotations(element, ServerSetting.class);
  }
}
