package dev.parley.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop, SIGHUP as one to reload. The JVM's own handling runs the shutdown hooks and
 * then exits with 128 + the signal (143 for TERM), which service managers report as a failure;
 * taking the signals over lets the server shut down and exit with 0. {@code sun.misc.Signal} is
 * the only way to do so in the JDK (javac warns, and that warning cannot be suppressed); it lives
 * in the supported-for-now {@code jdk.unsupported} module, and this class is its only user.
 */
final class TerminationSignals {
  private static final Logger log = LoggerFactory.getLogger(TerminationSignals.class);

  private TerminationSignals() {}

  /**
   * Runs {@code action} on a signal thread for each HUP, the usual "reload" signal, instead of the
   * JVM's default of shutting down.
   */
  static void onReload(Runnable action) {
    try {
      Signal.handle(new Signal("HUP"), signal -> {
        log.info("SIGHUP received");
        action.run();
      });
    } catch (IllegalArgumentException e) {
      log.warn("cannot handle SIGHUP ({}); the TLS certificate is read at start only", e.getMessage());
    }
  }

  /** Runs {@code action} on a signal thread for each TERM or INT, when the JVM lets us take them. */
  static void handle(Runnable action) {
    try {
      for (String name : new String[] {"TERM", "INT"}) {
        Signal.handle(new Signal(name), signal -> {
          log.info("SIG{} received, shutting down", signal.getName());
          action.run();
        });
      }
    } catch (IllegalArgumentException e) {
      // The JVM keeps the signal (-Xrs) or the platform lacks it: the shutdown hook still stops the server.
      log.warn("cannot handle termination signals ({}); the exit status after one will not be 0", e.getMessage());
    }
  }
}
