package dev.parley.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
  private final RouteTable<String> table = RouteTable.<String>builder()
      .add("GET", "/api/v1/messages", Access.TOKEN, "history")
      .add("POST", "/api/v1/messages", Access.TOKEN, "send")
      .add("GET", "/api/v1/files/{id}", Access.TOKEN_OR_TICKET, "download")
      .add("HEAD", "/api/v1/files/{id}", Access.TOKEN_OR_TICKET, "download")
      .add("POST", "/api/v1/files/{id}/ticket", Access.TOKEN, "ticket")
      .add("GET", "/static/{file...}", Access.NONE, "asset")
      .build();

  @Test
  void aSecondRouteForTheSameMethodAndPathIsRefusedWhenTheTableIsBuilt() {
    RouteTable.Builder<String> builder = RouteTable.<String>builder()
        .add("GET", "/api/v1/files/{id}", Access.TOKEN, "download")
        .add("HEAD", "/api/v1/files/{id}", Access.TOKEN, "download");

    assertThatThrownBy(() -> builder.add("GET", "/api/v1/files/{fileId}", Access.NONE, "other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate route: GET /api/v1/files/{fileId}");
  }

  @Test
  void aPathParameterMatchesOneNonEmptySegment() {
    assertThat(table.find("GET", "/api/v1/files/f1"))
        .isEqualTo(new RouteTable.Found<>(table.routes().get(2), Map.of("id", "f1")));
    assertThat(table.find("POST", "/api/v1/files/f1/ticket"))
        .isEqualTo(new RouteTable.Found<>(table.routes().get(4), Map.of("id", "f1")));
    assertThat(table.find("GET", "/api/v1/files/")).isEqualTo(new RouteTable.NotFound<>());
    assertThat(table.find("GET", "/api/v1/files/a/b")).isEqualTo(new RouteTable.NotFound<>());
  }

  @Test
  void aRestParameterTakesTheRestOfThePathSlashesIncluded() {
    assertThat(table.find("GET", "/static/js/main.js"))
        .isEqualTo(new RouteTable.Found<>(table.routes().get(5), Map.of("file", "js/main.js")));
    assertThat(table.find("GET", "/static/"))
        .isEqualTo(new RouteTable.Found<>(table.routes().get(5), Map.of("file", "")));
    assertThat(table.find("GET", "/static")).isEqualTo(new RouteTable.NotFound<>());
  }

  @Test
  void pathsMatchExactlyWithoutTrailingSlashOrQuery() {
    assertThat(table.find("GET", "/api/v1/messages/")).isEqualTo(new RouteTable.NotFound<>());
    assertThat(table.find("GET", "/api/v1/message")).isEqualTo(new RouteTable.NotFound<>());
  }

  @Test
  void aKnownPathWithAnotherMethodListsThePathsMethodsInOrder() {
    assertThat(table.find("DELETE", "/api/v1/messages")).isEqualTo(new RouteTable.WrongMethod<>("GET, POST", "history"));
    assertThat(table.find("POST", "/api/v1/files/f1")).isEqualTo(new RouteTable.WrongMethod<>("GET, HEAD", "download"));
    assertThat(table.find("get", "/api/v1/messages")).isEqualTo(new RouteTable.WrongMethod<>("GET, POST", "history"));
  }
}
