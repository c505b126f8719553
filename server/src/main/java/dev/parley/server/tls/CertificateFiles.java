package dev.parley.server.tls;

import java.nio.file.Path;

/** A PEM certificate chain (leaf first) and the PEM private key of its leaf. */
record CertificateFiles(Path certificate, Path key) {}
