package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's files are found in a jar (as in parley.jar) just as in the build's classes folder. */
class WebAssetsTest {
  @Test
  void theClientIsReadFromAJarWithOnlyItsKindsOfFiles(@TempDir Path dir) throws IOException {
    Path jar = dir.resolve("client with space.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      add(out, "web/index.html", "<!doctype html>");
      add(out, "web/js/main.js", "export {};");
      add(out, "web/notes.txt", "not part of the client");
      add(out, "elsewhere.js", "outside web/");
    }

    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      WebAssets assets = WebAssets.load(loader);

      assertThat(assets.find("index.html")).hasValueSatisfying(page -> {
        assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).isEqualTo("<!doctype html>");
      });
      assertThat(assets.find("js/main.js")).isPresent();
      assertThat(assets.find("notes.txt")).isEmpty();
      assertThat(assets.find("../elsewhere.js")).isEmpty();
    }
  }

  private static void add(JarOutputStream out, String name, String text) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }
}
