package dev.parley.server.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate of {@code tls=self-signed}: an ECDSA P-256 key and a certificate for it, made
 * once and kept in {@code tls/} under the data directory, so that the fingerprint clients pinned
 * stays valid across restarts. Valid for {@link #VALIDITY}: a pinned certificate that expired would
 * make every client refuse the server at once, and pinning, not expiry, is what vouches for it.
 * The key file is readable by its owner only from the moment it exists.
 */
final class GeneratedCertificate {
  static final String DIRECTORY = "tls";
  static final String CERTIFICATE_FILE = "self-signed-cert.pem";
  static final String KEY_FILE = "self-signed-key.pem";
  static final Duration VALIDITY = Duration.ofDays(3650);

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private GeneratedCertificate() {}

  /** The certificate and key files in {@code dataDir}, generated first if there are none. */
  static CertificateFiles in(Path dataDir) {
    Path dir = dataDir.resolve(DIRECTORY);
    CertificateFiles files = new CertificateFiles(dir.resolve(CERTIFICATE_FILE), dir.resolve(KEY_FILE));
    boolean certificate = Files.exists(files.certificate());
    boolean key = Files.exists(files.key());
    if (certificate && key) {
      return files;
    }
    if (certificate || key) {
      throw new IllegalStateException("found only one of " + files.certificate() + " and " + files.key()
          + "; restore the other, or remove both to generate a new certificate (clients must then pin its new fingerprint)");
    }
    generate(files);
    return files;
  }

  private static void generate(CertificateFiles files) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      X509Certificate certificate = certificate(keys);
      Files.createDirectories(files.key().getParent(), privateTo("rwx------"));
      // The key first: a certificate on disk means its key is there too.
      write(files.key(), pem("PRIVATE KEY", keys.getPrivate().getEncoded()), "rw-------");
      write(files.certificate(), pem("CERTIFICATE", certificate.getEncoded()), "rw-r--r--");
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the self-signed certificate to " + files.certificate().getParent(), e);
    }
  }

  private static X509Certificate certificate(KeyPair keys) throws GeneralSecurityException, OperatorCreationException {
    String host = localHostName();
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "Parley " + host).addRDN(BCStyle.O, "Parley").build();
    Instant now = Instant.now();
    BigInteger serial = new BigInteger(127, new SecureRandom());
    List<GeneralName> names = new ArrayList<>(List.of(
        new GeneralName(GeneralName.dNSName, "localhost"),
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
        new GeneralName(GeneralName.iPAddress, "::1")));
    if (!host.equals("localhost")) {
      names.add(new GeneralName(GeneralName.dNSName, host));
    }
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        subject, serial, Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode the certificate's extensions", e);
    }
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  /** This machine's name when it is a valid DNS name, else {@code localhost}. */
  private static String localHostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})") ? name : "localhost";
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  static byte[] pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Written to a temporary file with its final permissions, then moved into place. */
  private static void write(Path file, byte[] content, String permissions) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp", privateTo(permissions));
    try {
      Files.write(temp, content);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static FileAttribute<?>[] privateTo(String permissions) {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
        : new FileAttribute<?>[0];
  }
}
