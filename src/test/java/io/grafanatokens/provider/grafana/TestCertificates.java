package io.grafanatokens.provider.grafana;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A throw-away self-signed server certificate made with the JDK's keytool, for TLS tests. */
final class TestCertificates {
  private static final char[] PASSWORD = "changeit".toCharArray();

  final SSLContext serverContext;
  final String pem;

  private TestCertificates(SSLContext serverContext, String pem) {
    this.serverContext = serverContext;
    this.pem = pem;
  }

  /** A certificate for the given subjectAltName, e.g. "ip:127.0.0.1" or "dns:other.example". */
  static TestCertificates selfSigned(Path dir, String subjectAltName) throws Exception {
    Path store = dir.resolve("server-" + Math.abs(subjectAltName.hashCode()) + ".p12");
    Path pemFile = dir.resolve("server-" + Math.abs(subjectAltName.hashCode()) + ".pem");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-validity",
        "2",
        "-dname",
        "CN=fake-grafana",
        "-ext",
        "SAN=" + subjectAltName,
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        new String(PASSWORD),
        "-keypass",
        new String(PASSWORD));
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        store.toString(),
        "-storepass",
        new String(PASSWORD),
        "-file",
        pemFile.toString());
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return new TestCertificates(context, Files.readString(pemFile, StandardCharsets.US_ASCII));
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("keytool failed: " + output);
    }
  }
}
