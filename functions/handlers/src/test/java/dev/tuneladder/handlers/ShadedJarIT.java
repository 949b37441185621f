package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.handlers.probe.ShadedJarProbe;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The shaded jar as Lambda runs it: each test starts a fresh JVM whose class path is only the jar and a small
 * probe class, with a function's environment variables pointing every AWS client at an S3-compatible server on
 * 127.0.0.1. Unit tests load classes from the module's build folders, so only this test detects a class, a
 * service-loader entry or a schema file that the shade step left out.
 */
class ShadedJarIT {

    /** Lambda's limit on a function's unzipped deployment package. */
    private static final long UNZIPPED_LIMIT_BYTES = 250L * 1024 * 1024;

    private static final Path JAR = Path.of(System.getProperty("tuneladder.handlers.jar",
            "target/tuneladder-handlers-0.1.0-SNAPSHOT.jar"));

    @RegisterExtension
    final S3ProxyExtension s3 = StepTasks.s3();

    @TempDir
    Path work;

    private S3Client client;
    private S3BlobStore store;

    @BeforeEach
    void setUp() {
        client = StepTasks.s3Client(s3);
        store = StepTasks.store(client);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void jar_contents_fitLambdaWithoutLocalModel() throws IOException {
        long unzipped = 0;
        List<String> forbidden = new ArrayList<>();
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                unzipped += Math.max(entry.getSize(), 0);
                String name = entry.getName();
                if (name.startsWith("ai/onnxruntime/") || name.startsWith("dev/langchain4j/")
                        || name.startsWith("ai/djl/") || name.equals("logback-test.xml")
                        || name.startsWith("dev/tuneladder/local/")) {
                    forbidden.add(name);
                }
            }
        }

        assertThat(forbidden).as("local-only classes and test configuration in the jar").isEmpty();
        assertThat(unzipped).isLessThan(UNZIPPED_LIMIT_BYTES);
    }

    /**
     * SnapStart snapshots the JVM after the constructors ran, so a connection opened there would be restored into
     * many containers at once. Every endpoint points at a listener that counts the connections it is offered.
     */
    @Test
    void everyHandler_constructsFromJarAloneWithoutConnecting() throws Exception {
        List<String> handlers = handlerClasses();
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket ignored = listener.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String endpoint = "https://127.0.0.1:" + listener.getLocalPort();

            Result result = probe(List.of("construct"), handlers, Map.of(HandlerConfig.AWS_ENDPOINT_URL, endpoint,
                    HandlerConfig.OPENSEARCH_ENDPOINT, endpoint));

            assertThat(result.exitCode()).as("probe output:%n%s", result.output()).isZero();
        }
        assertThat(handlers).contains(RecordFailureHandler.class.getName(), JudgeHandler.class.getName(),
                AggregateHandler.class.getName());
        assertThat(connections).hasValue(0);
    }

    @Test
    void recordFailure_sampleEvent_writesJsonLogs() throws Exception {
        Path out = work.resolve("out.json");

        Result result = probe(List.of("stream", RecordFailureHandler.class.getName(),
                TestSupport.EVENTS.resolve("record-failure.json").toString(), out.toString()), List.of());

        assertThat(result.exitCode()).as("probe output:%n%s", result.output()).isZero();
        JsonNode event = TestSupport.jsonEvent("record-failure.json");
        String runId = event.get("runId").asText();
        JsonNode stored = Json.mapper().readTree(store.readAllBytes("runs/" + runId + "/failure.json"));
        assertThat(stored.path("error").asText()).isEqualTo(event.get("error").asText());
        List<JsonNode> logLines = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            if (line.startsWith("{")) {
                logLines.add(Json.mapper().readTree(line));
            }
        }
        assertThat(logLines).isNotEmpty();
        assertThat(logLines).anySatisfy(line -> {
            assertThat(line.path("mdc").path("runId").asText()).isEqualTo(runId);
            assertThat(line.path("mdc").path("requestId").asText()).isEqualTo("probe-request-1");
        });
        assertThat(result.output()).doesNotContain("failed the Custom Model Import preflight");
        assertThat(result.output()).as("logback prints its status only when its configuration has a fault")
                .doesNotContain("|-WARN").doesNotContain("|-ERROR");
    }

    @Test
    void judge_malformedBody_answers400FromSchemasInJar() throws Exception {
        Path out = work.resolve("out.txt");

        Result result = probe(List.of("api", JudgeHandler.class.getName(), "{\"itemId\": 3}", out.toString()),
                List.of());

        assertThat(result.exitCode()).as("probe output:%n%s", result.output()).isZero();
        String[] response = Files.readString(out).split("\n", 2);
        assertThat(response[0]).isEqualTo("400");
        JsonNode error = Json.mapper().readTree(response[1]).path("error");
        assertThat(error.path("code").asText()).isEqualTo("validation_failed");
        assertThat(error.path("message").asText()).isNotBlank();
    }

    /** Public, concrete handler classes of the jar: the ones a function configuration can name. */
    private static List<String> handlerClasses() throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(JAR.toFile());
                URLClassLoader loader = new URLClassLoader(new URL[] {JAR.toUri().toURL()}, null)) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                if (name.startsWith("dev/tuneladder/handlers/") && name.endsWith("Handler.class")
                        && !name.contains("$")) {
                    String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                    Class<?> type = Class.forName(className, false, loader);
                    if (Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers())) {
                        names.add(className);
                    }
                }
            }
        }
        Collections.sort(names);
        return names;
    }

    private record Result(int exitCode, String output) {
    }

    private Result probe(List<String> arguments, List<String> more) throws Exception {
        return probe(arguments, more, Map.of());
    }

    private Result probe(List<String> arguments, List<String> more, Map<String, String> overrides)
            throws Exception {
        Path probeClasses = work.resolve("probe");
        String probeFile = ShadedJarProbe.class.getName().replace('.', '/');
        Path source = Path.of(ShadedJarProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (var files = Files.list(source.resolve(probeFile).getParent())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("ShadedJarProbe")).toList()) {
                Path target = probeClasses.resolve(source.relativize(file));
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", JAR.toAbsolutePath() + java.io.File.pathSeparator + probeClasses,
                ShadedJarProbe.class.getName()));
        command.addAll(arguments);
        command.addAll(more);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(functionEnvironment());
        environment.putAll(overrides);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /**
     * What a deployed function gets, pointed at loopback: dummy credentials, no instance metadata, and checksums
     * only where S3 requires them, because S3Proxy cannot decode the trailing checksums the SDK sends otherwise.
     */
    private Map<String, String> functionEnvironment() {
        return Map.ofEntries(
                Map.entry("AWS_REGION", "us-east-1"),
                Map.entry("AWS_ACCESS_KEY_ID", StepTasks.ACCESS_KEY),
                Map.entry("AWS_SECRET_ACCESS_KEY", StepTasks.SECRET_KEY),
                Map.entry("AWS_EC2_METADATA_DISABLED", "true"),
                Map.entry("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required"),
                Map.entry("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required"),
                Map.entry(HandlerConfig.AWS_ENDPOINT_URL, s3.getUri().toString()),
                Map.entry(HandlerConfig.BUCKET, StepTasks.BUCKET),
                Map.entry(HandlerConfig.OPENSEARCH_ENDPOINT, "https://127.0.0.1:9"),
                Map.entry(HandlerConfig.OPENSEARCH_SERVICE, "es"),
                Map.entry(HandlerConfig.FEWSHOT_INDEXES, "banking77-golden"),
                Map.entry(HandlerConfig.JUDGE_MODEL_ID, "anthropic.claude-3-5-haiku-20241022-v1:0"),
                Map.entry(HandlerConfig.EVALUATION_STATE_MACHINE_ARN,
                        "arn:aws:states:us-east-1:123456789012:stateMachine:tuneladder-evaluation"),
                Map.entry(HandlerConfig.FINE_TUNING_STATE_MACHINE_ARN,
                        "arn:aws:states:us-east-1:123456789012:stateMachine:tuneladder-fine-tuning"),
                Map.entry(HandlerConfig.SAMPLING_STATE_MACHINE_ARN,
                        "arn:aws:states:us-east-1:123456789012:stateMachine:tuneladder-sampling"));
    }
}
