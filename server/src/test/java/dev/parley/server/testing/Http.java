package dev.parley.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** A small JSON-over-HTTP client for tests of the REST API. */
public final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final URI base;

  /** A response, with its body parsed when it is JSON (a missing node otherwise). */
  public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    public String errorCode() {
      return body.path("error").path("code").asText(null);
    }
  }

  public Http(URI base) {
    this(base, null);
  }

  /** Connecting from {@code localAddress} (e.g. 127.0.0.2), so the server sees another client; null for the default. */
  public Http(URI base, InetAddress localAddress) {
    this.base = base;
    HttpClient.Builder builder = HttpClient.newBuilder();
    if (localAddress != null) {
      builder.localAddress(localAddress);
    }
    this.client = builder.build();
  }

  public Reply post(String path, Object body) {
    return post(path, body, null);
  }

  public Reply post(String path, Object body, String token) {
    return post(path, body, token, Map.of());
  }

  /** A JSON POST with extra headers, e.g. {@code X-Forwarded-For}. */
  public Reply post(String path, Object body, String token, Map<String, String> headers) {
    return withBody("POST", path, body, token, headers);
  }

  public Reply put(String path, Object body, String token) {
    return withBody("PUT", path, body, token, Map.of());
  }

  private Reply withBody(String method, String path, Object body, String token, Map<String, String> headers) {
    try {
      HttpRequest.Builder request =
          request(path, token).method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      headers.forEach(request::header);
      return send(request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Reply postRaw(String path, String body) {
    return send(request(path, null).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Reply get(String path, String token) {
    return send(request(path, token).GET());
  }

  public Reply delete(String path, String token) {
    return send(request(path, token).DELETE());
  }

  /** Any method, no body, the given headers and no token. */
  public Reply send(String method, String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    return send(request);
  }

  /** Registers and logs in; returns the token. */
  public String registerAndLogin(String username, String password) {
    Reply registered = post("/api/v1/register", Map.of("username", username, "password", password));
    if (registered.status() != 201) {
      throw new AssertionError("register " + username + ": " + registered.raw().body());
    }
    return login(username, password);
  }

  public String login(String username, String password) {
    Reply login = post("/api/v1/login", Map.of("username", username, "password", password));
    if (login.status() != 200) {
      throw new AssertionError("login " + username + ": " + login.raw().body());
    }
    return login.body().get("token").asText();
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json");
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      boolean json = response.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
      JsonNode body = json ? JSON.readTree(response.body()) : JSON.missingNode();
      return new Reply(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
