package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The URLs the server prints on start for people to open. */
class BrowserUrlsTest {
  @Test
  void aServerOnEveryAddressListsTheMachinesOwnAddressesIpv4First() throws Exception {
    List<InetAddress> machine = List.of(
        InetAddress.getByName("::1"),
        InetAddress.getByName("127.0.0.1"),
        InetAddress.getByName("2001:db8::17"),
        InetAddress.getByName("fe80::1"),
        InetAddress.getByName("192.168.1.23"),
        InetAddress.getByName("10.0.0.5"));

    assertThat(BrowserUrls.of("http", "0.0.0.0", 8080, machine)).containsExactly(
        URI.create("http://192.168.1.23:8080/"), URI.create("http://10.0.0.5:8080/"), URI.create("http://[2001:db8:0:0:0:0:0:17]:8080/"));
    assertThat(BrowserUrls.of("http", "::", 8080, machine)).hasSize(3).doesNotContain(URI.create("http://0.0.0.0:8080/"));
  }

  @Test
  void aMachineWithOnlyLoopbackGetsTheLocalhostUrl() throws Exception {
    assertThat(BrowserUrls.of("http", "0.0.0.0", 8080, List.of(InetAddress.getByName("127.0.0.1"))))
        .containsExactly(URI.create("http://localhost:8080/"));
  }

  @Test
  void aServerOnOneAddressListsThatAddress() {
    assertThat(BrowserUrls.of("http", "192.168.1.23", 9000, List.of())).containsExactly(URI.create("http://192.168.1.23:9000/"));
    assertThat(BrowserUrls.of("http", "fd00::7", 9000, List.of())).containsExactly(URI.create("http://[fd00::7]:9000/"));
  }
}
