package io.grafanatokens.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The operator jar as a child process, and what /proc says about it. */
final class OperatorProcess implements AutoCloseable {
  private static final long CLOCK_TICKS = clockTicks();

  private final Process process;
  private final int httpPort;
  private final Path log;

  private OperatorProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  static OperatorProcess start(
      List<String> command, Map<String, String> env, int httpPort, Path log) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().putAll(env);
    OperatorProcess p = new OperatorProcess(pb.start(), httpPort, log);
    // a harness stopped with Ctrl-C must not leave the operator running
    Runtime.getRuntime().addShutdownHook(new Thread(p.process::destroy));
    return p;
  }

  long pid() {
    return process.pid();
  }

  /** Waits for /readyz: the informers have synced and the controller runs. */
  void awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz"))
            .timeout(Duration.ofSeconds(2))
            .build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the HTTP server starts after the JVM; poll again
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the operator was not ready after " + timeout + "; see " + log);
  }

  /** User plus system CPU time so far (/proc/pid/stat utime + stime). */
  double cpuSeconds() throws IOException {
    String stat =
        Files.readString(Path.of("/proc", Long.toString(pid()), "stat"), StandardCharsets.US_ASCII);
    // the command name in parentheses may hold spaces: count fields after its closing parenthesis
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return (double) ticks / CLOCK_TICKS;
  }

  /** Peak resident set size so far (VmHWM), in bytes. */
  long peakRssBytes() throws IOException {
    return statusKb("VmHWM:") * 1024;
  }

  long rssBytes() throws IOException {
    return statusKb("VmRSS:") * 1024;
  }

  private long statusKb(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
      }
    }
    throw new IllegalStateException("/proc/" + pid() + "/status has no " + field);
  }

  /**
   * The heap in use right after a full collection ({@code jcmd GC.run}, then {@code GC.heap_info}):
   * what the operator keeps, not what it has yet to collect.
   */
  long heapAfterFullGcBytes() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    long kb = 0;
    boolean found = false;
    while (m.find()) {
      kb += Long.parseLong(m.group(1));
      found = true;
    }
    if (!found) {
      throw new IllegalStateException("no heap figure in jcmd GC.heap_info:\n" + info);
    }
    return kb * 1024;
  }

  /** The live objects by class, largest first ({@code jcmd GC.class_histogram}), into a file. */
  void writeHeapHistogram(Path file) throws IOException, InterruptedException {
    Files.writeString(file, jcmd("GC.class_histogram"), StandardCharsets.UTF_8);
  }

  /** "def new generation total 2560K, used 0K", "garbage-first heap total 9216K, used 3072K". */
  private static final Pattern HEAP_USED =
      Pattern.compile("(?:generation|heap)\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed:\n" + out);
    }
    return out;
  }

  /** SIGTERM, as the kubelet sends: the shutdown hook runs (and a JFR recording is written). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | InterruptedException | NumberFormatException e) {
      return 100; // USER_HZ on every Linux architecture the operator runs on
    }
  }
}
