package dev.parley.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One line of a token file written by {@code parley admin mint-tokens}. */
public record BenchUser(String username, String token) {

  /** The users of a token file, in file order; blank lines are skipped. */
  public static List<BenchUser> readAll(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<BenchUser> users = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab <= 0 || tab == line.length() - 1) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 'username<TAB>token'");
      }
      users.add(new BenchUser(line.substring(0, tab), line.substring(tab + 1).strip()));
    }
    return users;
  }
}
