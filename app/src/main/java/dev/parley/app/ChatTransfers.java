package dev.parley.app;

import dev.parley.client.JsonUploadUrlStore;
import dev.parley.client.ParleyClient;
import dev.parley.client.UploadOptions;
import dev.parley.protocol.ServerFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The chat's {@code /send} and {@code /get}: each file moves on a thread of its own, apart from
 * the prompt, so that chatting goes on while it moves; progress and the outcome go to the screen.
 * Thread-safe.
 */
final class ChatTransfers implements AutoCloseable {
  private final ParleyClient client;
  private final String token;
  private final CliEnvironment environment;
  private final ChatRenderer renderer;
  private final ChatSession.Screen screen;
  private final ExecutorService transfers = Executors.newCachedThreadPool(ChatSession.daemon("parley-chat-transfer"));

  ChatTransfers(ParleyClient client, String token, CliEnvironment environment, ChatRenderer renderer, ChatSession.Screen screen) {
    this.client = client;
    this.token = token;
    this.environment = environment;
    this.renderer = renderer;
    this.screen = screen;
  }

  /**
   * Uploads the file at {@code path} to {@code user}, or to {@code room} (an id) when that is not
   * null, and hands the file message to {@code sent} once the server has it.
   */
  void upload(String path, String user, String room, Consumer<ServerFrame.Message> sent) {
    Path file = environment.resolve(path);
    if (!Files.isRegularFile(file)) {
      screen.show(renderer.error(Files.exists(file) ? path + " is not a file" : "no file " + path));
      return;
    }
    ChatProgress progress = new ChatProgress(screen, renderer, file.getFileName().toString());
    transfers.execute(() -> {
      try {
        UploadOptions options = UploadOptions.defaults()
            .withUrlStore(new JsonUploadUrlStore(environment.configDir().resolve(UploadCommand.URL_STORE)))
            .withProgress(progress);
        sent.accept(room != null ? client.uploadToRoom(token, file, room, options) : client.upload(token, file, user, options));
      } catch (RuntimeException e) {
        screen.show(renderer.error("upload of " + path + " stopped: " + ChatSession.describe(e) + "; /send again to resume"));
      }
    });
  }

  void download(String id, String path) {
    transfers.execute(() -> {
      try {
        Path target = downloadTarget(id, path);
        if (Files.exists(target)) {
          screen.show(renderer.error(target + " exists; /get " + id + " PATH to save it elsewhere"));
          return;
        }
        Path saved = client.download(token, id, target, new ChatProgress(screen, renderer, target.getFileName().toString()));
        screen.show(renderer.notice("saved " + saved));
      } catch (RuntimeException e) {
        screen.show(renderer.error("download of " + id + " stopped: " + ChatSession.describe(e) + "; /get again to resume"));
      }
    });
  }

  /** As {@code parley download}: PATH, or the sender's file name (made safe by the library) in PATH or here. */
  private Path downloadTarget(String id, String path) {
    Path chosen = path == null ? null : environment.resolve(path);
    if (chosen != null && !Files.isDirectory(chosen)) {
      return chosen;
    }
    String name = client.fileInfo(token, id).name();
    return (chosen != null ? chosen : environment.workingDir()).resolve(name);
  }

  /** Stops the transfers under way; an upload stopped this way resumes with the next {@code /send}. */
  @Override
  public void close() {
    transfers.shutdownNow();
  }
}
