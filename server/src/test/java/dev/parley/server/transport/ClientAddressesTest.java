package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.config.AddressRange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressesTest {
  private final ClientAddresses addresses =
      new ClientAddresses(List.of(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("fd00::/8")));

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.0.0.1 | X-Forwarded-For | 192.0.2.1                         | 192.0.2.1",
        "10.0.0.1 | X-Forwarded-For | 192.0.2.1, 198.51.100.2, 10.1.1.1  | 198.51.100.2",
        "10.0.0.1 | X-Forwarded-For | 10.3.3.3, 10.2.2.2                 | 10.3.3.3",
        "10.0.0.1 | X-Forwarded-For | unknown                            | 10.0.0.1",
        "10.0.0.1 | X-Forwarded-For | 192.0.2.1, garbage                 | 10.0.0.1",
        "10.0.0.1 | X-Forwarded-For | 192.0.2.1:5555                     | 192.0.2.1",
        "10.0.0.1 | X-Forwarded-For | 2001:db8::7                        | 2001:db8::7",
        "10.0.0.1 | Forwarded       | for=192.0.2.60;proto=http;by=10.0.0.1 | 192.0.2.60",
        "10.0.0.1 | Forwarded       | for=192.0.2.1, For=\"[2001:db8:cafe::17]:4711\" | 2001:db8:cafe::17",
        "10.0.0.1 | Forwarded       | for=_hidden                        | 10.0.0.1",
        "fd00::5  | X-Forwarded-For | 192.0.2.9                          | 192.0.2.9",
        "192.0.2.50 | X-Forwarded-For | 198.51.100.2                     | 192.0.2.50",
      })
  void theRightmostUntrustedHopIsTheClient(String peer, String header, String value, String client) {
    HttpHeaders headers = new DefaultHttpHeaders().add(header, value);
    assertThat(addresses.of(new InetSocketAddress(peer, 40000), headers)).isEqualTo(client);
  }

  @Test
  void forwardedWinsOverXForwardedForAndHeaderLinesAreReadInOrder() {
    HttpHeaders headers = new DefaultHttpHeaders()
        .add("X-Forwarded-For", "192.0.2.1")
        .add("Forwarded", "for=192.0.2.2")
        .add("Forwarded", "for=192.0.2.3, for=10.4.4.4");
    assertThat(addresses.of(new InetSocketAddress("10.0.0.1", 1), headers)).isEqualTo("192.0.2.3");
  }
}
