package dev.tuneladder.local.openai;

import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.model.ModelClient;
import dev.tuneladder.core.model.openai.OpenAiChatCodec;
import dev.tuneladder.core.model.openai.OpenAiChatCodec.ResponseSource;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A {@link ModelClient} for servers that speak the OpenAI chat completions API with tools, such as llama.cpp's
 * {@code llama-server}, vLLM and Ollama. It posts one non-streaming request per call to the endpoint that
 * {@link OpenAiCompatibleSettings#chatCompletionsUri()} gives, and makes no retries of its own: wrap it in a
 * {@link dev.tuneladder.core.model.resilience.ResilientModelClient} for those.
 *
 * <p>Failures map to {@link ModelCallException} kinds: HTTP 429 is THROTTLED, 408 and timeouts are TIMEOUT, 5xx and
 * connection failures are SERVER_ERROR, other statuses are CLIENT_ERROR, and an unreadable body is
 * MALFORMED_RESPONSE. A {@code Retry-After} header (seconds or an HTTP date) travels in the exception. Error bodies
 * go to {@link ModelCallException#rawResponse()}, not into messages, because servers may echo the prompt in them.
 * An interrupt cancels the exchange and raises CANCELLED with the interrupt status set again.
 *
 * <p>{@link ChatRequest#cacheStaticPrefix()} is ignored: llama.cpp and vLLM reuse a shared prompt prefix on their own.
 * Thread-safe; build one per server and share it.
 */
public final class OpenAiCompatibleModelClient implements ModelClient {

    /** Error bodies longer than this are cut before they are kept in the exception. */
    static final int MAX_KEPT_ERROR_CHARS = 8192;

    private static final OpenAiChatCodec CODEC = new OpenAiChatCodec(OpenAiChatCodec.Options.OPENAI_SERVER);

    private final HttpClient http;
    private final URI endpoint;
    private final Duration requestTimeout;
    private final String authorization;
    private final String apiKeyVariable;

    /** Creates a client that reads the API key, if the settings name one, from the process environment. */
    public OpenAiCompatibleModelClient(OpenAiCompatibleSettings settings) {
        this(settings, defaultHttpClient(settings), System::getenv);
    }

    /**
     * @param http the client to send with; it should speak HTTP/1.1 (see {@link #defaultHttpClient})
     * @param environment looks up environment variables by name, returning null for an unset one
     * @throws IllegalArgumentException when the settings name an API key variable that is unset or blank
     */
    public OpenAiCompatibleModelClient(OpenAiCompatibleSettings settings, HttpClient http,
            Function<String, String> environment) {
        Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.endpoint = settings.chatCompletionsUri();
        this.requestTimeout = settings.requestTimeout();
        this.apiKeyVariable = settings.apiKeyVariable();
        if (apiKeyVariable == null) {
            this.authorization = null;
        } else {
            String key = environment.apply(apiKeyVariable);
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("environment variable " + apiKeyVariable + " is not set or"
                        + " blank; export the server's API key in it, or configure no API key variable");
            }
            this.authorization = "Bearer " + key.strip();
        }
    }

    /**
     * Builds the HTTP client the one-argument constructor uses. It speaks HTTP/1.1 only, because the JDK client's
     * default HTTP/2 upgrade header on plain http is something local servers do not support and some log a warning
     * for on every request.
     */
    public static HttpClient defaultHttpClient(OpenAiCompatibleSettings settings) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Returns the chat completions URL this client posts to. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        String description = "OpenAI-compatible server " + endpoint + " (model " + request.modelId() + ")";
        HttpRequest httpRequest = httpRequest(request);

        long startNanos = System.nanoTime();
        HttpResponse<String> response = send(httpRequest, description);
        long latencyMillis = (System.nanoTime() - startNanos) / 1_000_000;

        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw statusFailure(response, description);
        }
        return CODEC.parseResponse(response.body(), latencyMillis,
                new ResponseSource(request.modelId(), status, description, null));
    }

    private HttpRequest httpRequest(ChatRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(CODEC.requestBody(request),
                        StandardCharsets.UTF_8));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    /** Sends asynchronously and waits, so that an interrupt can cancel the exchange instead of abandoning it. */
    private HttpResponse<String> send(HttpRequest request, String description) {
        CompletableFuture<HttpResponse<String>> future =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ModelCallException(Kind.CANCELLED, 0, description + ": the call was cancelled", e);
        } catch (ExecutionException e) {
            throw transportFailure(e.getCause(), description);
        }
    }

    private ModelCallException transportFailure(Throwable cause, String description) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new ModelCallException(Kind.TIMEOUT, 0, description + ": no connection within the connect"
                    + " timeout; check that the server is running", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new ModelCallException(Kind.TIMEOUT, 0, description + ": no response within "
                    + requestTimeout.toMillis() + " ms; raise the request timeout for slow models", cause);
        }
        if (cause instanceof ConnectException) {
            return new ModelCallException(Kind.SERVER_ERROR, 0, description + ": connection failed; check that the"
                    + " server is running and the base URL", cause);
        }
        if (cause instanceof IOException) {
            return new ModelCallException(Kind.SERVER_ERROR, 0, description + ": the exchange failed with "
                    + cause.getClass().getSimpleName(), cause);
        }
        return new ModelCallException(Kind.SERVER_ERROR, 0, description + ": the HTTP client failed with "
                + cause.getClass().getSimpleName(), cause);
    }

    private ModelCallException statusFailure(HttpResponse<String> response, String description) {
        int status = response.statusCode();
        Duration retryAfter = response.headers().firstValue("Retry-After")
                .flatMap(value -> parseRetryAfter(value, Instant.now()))
                .orElse(null);
        String body = response.body() == null ? "" : response.body();
        String kept = body.length() > MAX_KEPT_ERROR_CHARS ? body.substring(0, MAX_KEPT_ERROR_CHARS) : body;

        Kind kind;
        String advice;
        if (status == 429) {
            kind = Kind.THROTTLED;
            advice = "the server is throttling; lower the concurrency or wait";
        } else if (status == 408) {
            kind = Kind.TIMEOUT;
            advice = "the server timed out reading the request";
        } else if (status >= 500) {
            kind = Kind.SERVER_ERROR;
            advice = "the server failed; see its log";
        } else if (status == 401 || status == 403) {
            kind = Kind.CLIENT_ERROR;
            advice = apiKeyVariable == null ? "the server needs an API key; name the environment variable that"
                    + " contains it" : "check the API key in environment variable " + apiKeyVariable;
        } else if (status == 404) {
            kind = Kind.CLIENT_ERROR;
            advice = "check the base URL and the model name";
        } else {
            kind = Kind.CLIENT_ERROR;
            advice = "the server rejected the request; its response body is kept in the exception";
        }
        return new ModelCallException(kind, status, description + " returned HTTP " + status + "; " + advice, null,
                retryAfter, kept);
    }

    /**
     * Parses a {@code Retry-After} value, either delay seconds or an HTTP date (RFC 9110, section 10.2.3). Returns
     * empty for a value that is neither; a date in the past gives zero.
     */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        String trimmed = value.strip();
        if (trimmed.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
