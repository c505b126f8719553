package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @Test
  void defaultsMatchTheDocumentedValues() {
    ServerConfig config = Settings.defaultsOnly().toConfig();
    assertThat(config.listen().httpPort()).isEqualTo(8080);
    assertThat(config.listen().tcpPort()).isEqualTo(7070);
    assertThat(config.store().dataDir()).isEqualTo(Path.of("parley-data"));
    assertThat(config.store().filesDir()).isEqualTo(Path.of("parley-data"));
    assertThat(config.connections().maxFrameBytes()).isEqualTo(65_536);
    assertThat(config.chat().maxTextChars()).isEqualTo(10_000);
    assertThat(config.connections().idleTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.accounts().tokenTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(config.accounts().passwordPolicy()).isEqualTo(new ServerConfig.PasswordPolicy(8, 128, true, true));
    assertThat(config.accounts().argon2()).isEqualTo(new ServerConfig.Argon2Cost(19_456, 2, 1));
    assertThat(config.connections().maxOutboundBytes()).isEqualTo(16L << 20);
    assertThat(config.connections().headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.connections().authTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.listen().maxConnectionsPerAddress()).isEqualTo(256);
  }

  @Test
  void aNodeIsStandaloneUntilABusIsGivenWithAPostgresDatabase() {
    ClusterSettings standalone = Settings.defaultsOnly().toConfig().cluster();
    assertThat(standalone.standalone()).isTrue();
    assertThat(standalone.subject()).isEqualTo("parley");
    assertThat(standalone.heartbeat()).isEqualTo(Duration.ofSeconds(2));
    assertThat(standalone.lease()).isEqualTo(Duration.ofSeconds(10));
    assertThat(standalone.gapWait()).isEqualTo(Duration.ofMillis(100));
    assertThat(standalone.logCheck()).isEqualTo(Duration.ofSeconds(1));
    assertThat(standalone.nodeId()).matches("[A-Za-z0-9_.-]+-[0-9a-f]{6}");
    assertThat(Settings.defaultsOnly().toConfig().cluster().nodeId()).isNotEqualTo(standalone.nodeId());

    ClusterSettings node = Settings.load(null, Map.of("PARLEY_BUS", "nats://nats:4222", "PARLEY_DATABASE", "postgresql://db/parley"),
        Map.of("node-id", "node-a")).toConfig().cluster();
    assertThat(node.bus()).isEqualTo("nats://nats:4222");
    assertThat(node.nodeId()).isEqualTo("node-a");

    assertThatThrownBy(() -> Settings.defaultsOnly().with("bus", "nats://nats:4222").toConfig())
        .hasMessageContaining("give database=postgresql://");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("database", "postgresql://db/parley").with("bus", "redis://r:6379").toConfig())
        .hasMessageContaining("setting bus must be empty (a standalone node) or nats://HOST:PORT");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("node-id", "two words").toConfig())
        .hasMessageContaining("setting node-id must be");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("presence-lease-seconds", 3).toConfig())
        .hasMessageContaining("at least twice presence-heartbeat-seconds");
  }

  @Test
  void commandLineOverridesEnvironmentWhichOverridesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("parley.properties");
    Files.writeString(file, "http-port=1000\ntcp-port=1001\nmax-text-chars=500\n");
    ServerConfig config =
        Settings.load(
                file,
                Map.of("PARLEY_TCP_PORT", "2001", "PARLEY_MAX_TEXT_CHARS", "600", "HOME", "/root"),
                Map.of("max-text-chars", "700"))
            .toConfig();
    assertThat(config.listen().httpPort()).isEqualTo(1000);
    assertThat(config.listen().tcpPort()).isEqualTo(2001);
    assertThat(config.chat().maxTextChars()).isEqualTo(700);
  }

  @Test
  void filesDirIsTheDataDirUnlessNamedInTheFileTheEnvironmentOrAFlag(@TempDir Path dir) throws Exception {
    assertThat(Settings.defaultsOnly().with("data-dir", "/srv/parley").toConfig().store().filesDir()).isEqualTo(Path.of("/srv/parley"));
    Path file = dir.resolve("parley.properties");
    Files.writeString(file, "files-dir=/shared/from-file\n");
    assertThat(Settings.load(file, Map.of(), Map.of()).toConfig().store().filesDir()).isEqualTo(Path.of("/shared/from-file"));
    assertThat(Settings.load(file, Map.of("PARLEY_FILES_DIR", "/shared/from-env"), Map.of()).toConfig().store().filesDir())
        .isEqualTo(Path.of("/shared/from-env"));
    assertThat(Settings.load(file, Map.of("PARLEY_FILES_DIR", "/shared/from-env"), Map.of("files-dir", "/shared/from-flag"))
            .toConfig().store().filesDir())
        .isEqualTo(Path.of("/shared/from-flag"));
  }

  @Test
  void tlsIsOffUnlessSelfSignedOrACertificateAndKeyAreGiven() {
    assertThat(Settings.defaultsOnly().toConfig().tls()).isEqualTo(TlsSettings.OFF);
    assertThat(Settings.defaultsOnly().with("tls", "self-signed").toConfig().tls().mode()).isEqualTo(TlsSettings.Mode.SELF_SIGNED);
    TlsSettings files = Settings.load(null, Map.of("PARLEY_TLS_CERT", "/etc/parley/cert.pem", "PARLEY_TLS_KEY", "/etc/parley/key.pem"), Map.of())
        .toConfig().tls();
    assertThat(files).isEqualTo(new TlsSettings(TlsSettings.Mode.FILES, Path.of("/etc/parley/cert.pem"), Path.of("/etc/parley/key.pem")));

    assertThatThrownBy(() -> Settings.defaultsOnly().with("tls-cert", "cert.pem").toConfig())
        .hasMessageContaining("tls-cert and tls-key go together");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("tls", "self-signed").with("tls-cert", "c.pem").with("tls-key", "k.pem").toConfig())
        .hasMessageContaining("tls=self-signed generates its own certificate");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("tls", "on").toConfig())
        .hasMessageContaining("setting tls must be off or self-signed");
  }

  @Test
  void unknownKeysAndBadValuesAreErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("parley.properties");
    Files.writeString(file, "http-prot=1000\n");
    assertThatThrownBy(() -> Settings.load(file, Map.of(), Map.of()))
        .hasMessageContaining("unknown setting [http-prot]");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("http-port", 70_000).toConfig())
        .hasMessage("setting http-port must be a port from 0 to 65535, got 70000");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("max-text-chars", "lots").toConfig())
        .hasMessage("setting max-text-chars must be a whole number, got 'lots'");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("password-require-digit", "maybe").toConfig())
        .hasMessage("setting password-require-digit must be true or false");
  }

  @Test
  void crossSiteAndAdminSettingsDefaultToNoHostCheckNoExtraOriginsAndALoopbackAdminListener() {
    ServerConfig config = Settings.defaultsOnly().toConfig();
    assertThat(config.site()).isEqualTo(new SiteSettings(null, Set.of()));
    assertThat(config.admin()).isEqualTo(new AdminSettings("127.0.0.1", 8081, null));
  }

  @Test
  void allowedOriginsAreReadAsNormalisedOriginsAndAnythingElseIsAnError() {
    ServerConfig config = Settings.defaultsOnly()
        .with("allowed-origins", " https://App.Example.org:443 ,http://tools.example.org:8000/, ")
        .with("public-url", "https://chat.example.org/parley")
        .toConfig();
    assertThat(config.site().allowedOrigins()).containsExactlyInAnyOrder("https://app.example.org", "http://tools.example.org:8000");
    assertThat(config.site().publicUrl().getHost()).isEqualTo("chat.example.org");

    assertThatThrownBy(() -> Settings.defaultsOnly().with("allowed-origins", "app.example.org").toConfig())
        .hasMessage("setting allowed-origins must list origins such as https://app.example.org, got 'app.example.org'");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("allowed-origins", "https://app.example.org/login").toConfig())
        .hasMessageContaining("got 'https://app.example.org/login'");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("public-url", "chat.example.org").toConfig())
        .hasMessage("setting public-url must be an http or https URL such as https://chat.example.org, got 'chat.example.org'");
  }

  @Test
  void trustedProxiesAreAddressesAndRangesNeverHostNames() throws Exception {
    assertThat(Settings.defaultsOnly().toConfig().listen().trustedProxies()).isEmpty();
    ServerConfig config = Settings.defaultsOnly().with("trusted-proxies", " 10.0.0.0/8, ::1 ,192.0.2.7").toConfig();
    assertThat(config.listen().trustedProxies())
        .extracting(AddressRange::prefixLength)
        .containsExactly(8, 128, 32);
    assertThat(config.listen().trustedProxies().getFirst().contains(InetAddress.getByName("10.200.3.4"))).isTrue();
    assertThat(config.listen().trustedProxies().getLast().contains(InetAddress.getByName("192.0.2.8"))).isFalse();
    assertThatThrownBy(() -> Settings.defaultsOnly().with("trusted-proxies", "proxy.example").toConfig())
        .hasMessage("setting trusted-proxies: 'proxy.example' is not an IP address or CIDR range");
    assertThatThrownBy(() -> Settings.defaultsOnly().with("trusted-proxies", "10.0.0.0/33").toConfig())
        .hasMessage("setting trusted-proxies: '10.0.0.0/33' has a prefix length outside 0 to 32");
  }

  @Test
  void maxConnectionsDefaultsToTheFreeDescriptorsLessAReserve() {
    assertThat(FileDescriptors.fromLimit(20_000, 12)).isEqualTo(20_000 - 12 - 512);
    // Few free descriptors keep a third back, not all of them.
    assertThat(FileDescriptors.fromLimit(200, 50)).isEqualTo(100);
    assertThat(Settings.defaultsOnly().toConfig().listen().maxConnections()).isEqualTo(FileDescriptors.defaultMaxConnections());
    assertThat(Settings.defaultsOnly().with("max-connections", 50).toConfig().listen().maxConnections()).isEqualTo(50);
    assertThatThrownBy(() -> Settings.defaultsOnly().with("max-connections", 0).toConfig())
        .hasMessage("setting max-connections must be positive, got 0");
  }
}
