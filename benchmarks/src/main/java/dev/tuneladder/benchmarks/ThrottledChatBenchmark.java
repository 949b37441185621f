package dev.tuneladder.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tuneladder.core.model.ChatMessage;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelClient;
import dev.tuneladder.core.model.resilience.AdaptiveConcurrencyLimiter;
import dev.tuneladder.core.model.resilience.ResilientCaller;
import dev.tuneladder.core.model.resilience.ResilientModelClient;
import dev.tuneladder.core.model.resilience.RetryPolicy;
import dev.tuneladder.local.openai.OpenAiCompatibleModelClient;
import dev.tuneladder.local.openai.OpenAiCompatibleSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a dataset of chat requests through {@link ResilientModelClient} and {@link OpenAiCompatibleModelClient}
 * against a loopback stub that throttles above R requests per second, and prints how much of R the run sustains, how
 * many rows were lost or failed, the retries, and the limiter's concurrency over time.
 *
 * <p>The stub is a JDK {@link HttpServer} on 127.0.0.1 with a token bucket: R tokens per second, a capacity of
 * R/10 tokens. A request that gets a token waits a service time drawn uniformly from 0.5 to 1.5 times the service
 * delay, as model latencies vary, and returns a tool call. A fixed service time would lock the requests in phase, so
 * they would arrive in bursts of the whole window, and a bucket smaller than the window would throttle far below R. A
 * request that finds the bucket empty gets HTTP 429 at once, with no Retry-After, so only the limiter and the backoff
 * pace the client.
 *
 * <p>Arguments, all optional: R (default 100), service delay in ms (100), rows (2000), worker threads (64), the
 * limiter's maximum (64), and its decrease factor (0 for the default of
 * {@link AdaptiveConcurrencyLimiter#withMaxLimit}). Build and run from the repository root:
 *
 * <pre>
 * mvn -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *     dev.tuneladder.benchmarks.ThrottledChatBenchmark 100 100 2000 64 64
 * </pre>
 */
public final class ThrottledChatBenchmark {

    private static final long SAMPLE_MILLIS = 100;
    private static final int SAMPLES_PER_ROW = 5;
    private static final int WARMUP_REQUESTS = 2000;
    private static final String REPLY = "{\"model\":\"stub\",\"choices\":[{\"index\":0,"
            + "\"finish_reason\":\"tool_calls\","
            + "\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":"
            + "\"function\",\"function\":{\"name\":\"transfer\",\"arguments\":\"{\\\"amount\\\":5}\"}}]}}],"
            + "\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":7}}";

    private final double ratePerSecond;
    private final long serviceDelayMillis;
    private final int rows;
    private final int workers;
    private final int maxConcurrency;
    private final double decreaseFactor;

    private final AtomicLong served = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();
    private final List<Sample> samples = new ArrayList<>();
    private final List<Long> latenciesMillis = new ArrayList<>();

    private record Sample(long elapsedMillis, int limit, int inFlight, int waiting, long served, long throttled) {
    }

    private ThrottledChatBenchmark(double ratePerSecond, long serviceDelayMillis, int rows, int workers,
            int maxConcurrency, double decreaseFactor) {
        this.decreaseFactor = decreaseFactor;
        this.ratePerSecond = ratePerSecond;
        this.serviceDelayMillis = serviceDelayMillis;
        this.rows = rows;
        this.workers = workers;
        this.maxConcurrency = maxConcurrency;
    }

    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 100;
        long delay = args.length > 1 ? Long.parseLong(args[1]) : 100;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int workers = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        int maxConcurrency = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        double decreaseFactor = args.length > 5 ? Double.parseDouble(args[5]) : 0;
        new ThrottledChatBenchmark(rate, delay, rows, workers, maxConcurrency, decreaseFactor).run();
    }

    private void run() throws Exception {
        TokenBucket bucket = new TokenBucket(ratePerSecond, Math.max(1, ratePerSecond / 10));
        ExecutorService serverThreads = Executors.newFixedThreadPool(workers + 8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/v1/chat/completions", exchange -> handle(exchange, bucket));
        server.createContext("/warmup/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            respond(exchange, 200, REPLY);
        });
        server.setExecutor(serverThreads);
        server.start();
        try {
            warmUp(server.getAddress().getPort());
            runRows(server.getAddress().getPort());
        } finally {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange, TokenBucket bucket) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
        }
        if (!bucket.tryTake()) {
            throttled.incrementAndGet();
            respond(exchange, 429, "{\"error\":{\"message\":\"rate limit exceeded\"}}");
            return;
        }
        try {
            Thread.sleep(serviceDelayMillis / 2 + ThreadLocalRandom.current().nextLong(serviceDelayMillis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        served.incrementAndGet();
        respond(exchange, 200, REPLY);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Sends unthrottled requests from all workers so that class loading and JIT compilation of the client and the
     * stub happen before the clock starts.
     */
    private void warmUp(int port) throws Exception {
        ModelClient client = new OpenAiCompatibleModelClient(
                OpenAiCompatibleSettings.of("http://127.0.0.1:" + port + "/warmup/v1"));
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<ChatResponse>> results = new ArrayList<>();
        for (int i = 0; i < WARMUP_REQUESTS; i++) {
            ChatRequest request = new ChatRequest("stub-model", "", List.of(ChatMessage.user("warm-up")), null, null,
                    false);
            results.add(pool.submit(() -> client.chat(request)));
        }
        for (Future<ChatResponse> result : results) {
            result.get();
        }
        pool.shutdown();
    }

    private void runRows(int port) throws Exception {
        OpenAiCompatibleSettings settings = OpenAiCompatibleSettings.of("http://127.0.0.1:" + port + "/v1");
        OpenAiCompatibleModelClient http = new OpenAiCompatibleModelClient(settings);
        ModelClient counting = request -> {
            attempts.incrementAndGet();
            return http.chat(request);
        };
        AdaptiveConcurrencyLimiter limiter = decreaseFactor == 0
                ? AdaptiveConcurrencyLimiter.withMaxLimit(maxConcurrency)
                : new AdaptiveConcurrencyLimiter(1, maxConcurrency, Math.min(4, maxConcurrency), decreaseFactor);
        ModelClient client = new ResilientModelClient(counting, new ResilientCaller(RetryPolicy.DEFAULT, limiter));

        String limiterDescription = limiter.toString();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long startNanos = System.nanoTime();
        sampler.scheduleAtFixedRate(() -> sample(limiter, startNanos), 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);

        List<Future<ChatResponse>> results = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            ChatRequest request = new ChatRequest("stub-model", "Route the request to one tool.",
                    List.of(ChatMessage.user("row " + row)), null, null, false);
            results.add(pool.submit(() -> client.chat(request)));
        }

        long succeeded = 0;
        long errorRows = 0;
        List<String> errorKinds = new ArrayList<>();
        for (Future<ChatResponse> result : results) {
            try {
                ChatResponse response = result.get();
                if (response.toolCalls().size() == 1) {
                    succeeded++;
                    latenciesMillis.add(response.latencyMillis());
                }
            } catch (java.util.concurrent.ExecutionException e) {
                errorRows++;
                if (e.getCause() instanceof ModelCallException failure && errorKinds.size() < 5) {
                    errorKinds.add(failure.kind() + ": " + failure.getMessage());
                }
            }
        }
        long elapsedNanos = System.nanoTime() - startNanos;
        sampler.shutdown();
        sampler.awaitTermination(1, TimeUnit.SECONDS);
        pool.shutdown();
        sample(limiter, startNanos);

        printSummary(succeeded, errorRows, elapsedNanos, errorKinds, limiterDescription);
        printTimeline();
    }

    private synchronized void sample(AdaptiveConcurrencyLimiter limiter, long startNanos) {
        AdaptiveConcurrencyLimiter.Snapshot snapshot = limiter.snapshot();
        samples.add(new Sample((System.nanoTime() - startNanos) / 1_000_000, snapshot.limit(), snapshot.inFlight(),
                snapshot.waiting(), served.get(), throttled.get()));
    }

    private void printSummary(long succeeded, long errorRows, long elapsedNanos, List<String> errorKinds,
            String limiterDescription) {
        double seconds = elapsedNanos / 1e9;
        double sustained = succeeded / seconds;
        double bucketCapacity = Math.max(1, ratePerSecond / 10);
        // The bucket starts full, so at most rows / (elapsed) of which `capacity` tokens came free at the start.
        double sustainedAfterBurst = (succeeded - bucketCapacity) / seconds;
        double retries = attempts.get() - rows;

        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + ", load average "
                + String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage()) + " at the end");
        System.out.println(String.format(Locale.ROOT, "Stub: R = %.0f requests/s (token bucket, capacity %.0f),"
                + " service time uniform on 0.5 to 1.5 x %d ms; client: %d rows, %d worker threads, limiter %s,"
                + " retry %s",
                ratePerSecond, bucketCapacity, serviceDelayMillis, rows, workers, limiterDescription,
                RetryPolicy.DEFAULT));
        System.out.println();
        System.out.println("| measure | value |");
        System.out.println("|---|---|");
        row("wall time", String.format(Locale.ROOT, "%.2f s", seconds));
        row("rows succeeded / error rows / lost rows", succeeded + " / " + errorRows + " / "
                + (rows - succeeded - errorRows));
        row("sustained successes/s (share of R)", String.format(Locale.ROOT, "%.1f (%.1f%%)", sustained,
                100 * sustained / ratePerSecond));
        row("same, without the bucket's initial burst", String.format(Locale.ROOT, "%.1f (%.1f%%)",
                sustainedAfterBurst, 100 * sustainedAfterBurst / ratePerSecond));
        row("attempts / retries / HTTP 429 responses", attempts.get() + " / " + String.format(Locale.ROOT, "%.0f",
                retries) + " / " + throttled.get());
        row("retries per row", String.format(Locale.ROOT, "%.3f", retries / rows));
        row("mean limit / mean in flight", String.format(Locale.ROOT, "%.1f / %.1f",
                samples.stream().mapToInt(Sample::limit).average().orElse(0),
                samples.stream().mapToInt(Sample::inFlight).average().orElse(0)));
        List<Long> sorted = latenciesMillis.stream().sorted().toList();
        row("latency of the successful attempt p50 / p99", sorted.isEmpty() ? "none"
                : sorted.get(sorted.size() / 2) + " ms / " + sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1)
                        + " ms");
        row("ideal concurrency R x service delay", String.format(Locale.ROOT, "%.1f",
                ratePerSecond * serviceDelayMillis / 1000.0));
        errorKinds.forEach(kind -> row("error", kind));
    }

    private static void row(String measure, String value) {
        System.out.println("| " + measure + " | " + value + " |");
    }

    /** Prints one line per half second: the limit as a bar, in-flight calls, and served and throttled rates. */
    private void printTimeline() {
        System.out.println();
        System.out.println("Limiter over time (sampled every " + SAMPLE_MILLIS + " ms, one line per "
                + SAMPLE_MILLIS * SAMPLES_PER_ROW + " ms; limit and in flight are the last sample of the line):");
        System.out.println();
        System.out.println("```");
        System.out.println("   t (s)  limit  in flight  ok/s  429/s  limit");
        for (int i = SAMPLES_PER_ROW; i < samples.size(); i += SAMPLES_PER_ROW) {
            Sample previous = samples.get(i - SAMPLES_PER_ROW);
            Sample current = samples.get(i);
            double intervalSeconds = (current.elapsedMillis() - previous.elapsedMillis()) / 1000.0;
            System.out.println(String.format(Locale.ROOT, "%8.1f  %5d  %9d  %4.0f  %5.0f  %s",
                    current.elapsedMillis() / 1000.0, current.limit(), current.inFlight(),
                    (current.served() - previous.served()) / intervalSeconds,
                    (current.throttled() - previous.throttled()) / intervalSeconds, "#".repeat(current.limit())));
        }
        System.out.println("```");
    }

    /** R tokens per second up to a capacity; starts full. Thread-safe. */
    private static final class TokenBucket {

        private final double ratePerNano;
        private final double capacity;
        private double tokens;
        private long lastNanos = System.nanoTime();

        TokenBucket(double ratePerSecond, double capacity) {
            this.ratePerNano = ratePerSecond / 1e9;
            this.capacity = capacity;
            this.tokens = capacity;
        }

        synchronized boolean tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - lastNanos) * ratePerNano);
            lastNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
