package dev.tuneladder.local.openai;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach an OpenAI-compatible chat completions server.
 *
 * <p>The chat endpoint is the base URL with trailing slashes removed, then {@code /chat/completions} appended when
 * the path already ends in {@code /v1}, or {@code /v1/chat/completions} otherwise. So {@code http://127.0.0.1:8080},
 * {@code http://127.0.0.1:8080/} and {@code http://127.0.0.1:8080/v1/} all post to
 * {@code http://127.0.0.1:8080/v1/chat/completions}, and a gateway prefix such as {@code https://host/openai} is kept.
 *
 * @param baseUrl the server's http or https URL, with or without a trailing {@code /v1}
 * @param apiKeyVariable the name of the environment variable that contains the bearer API key, or null to send no
 *     Authorization header. The client reads the key once, and never puts it in logs or messages.
 * @param requestTimeout how long to wait for the response headers of one request
 * @param connectTimeout how long to wait for a TCP connection
 */
public record OpenAiCompatibleSettings(URI baseUrl, String apiKeyVariable, Duration requestTimeout,
        Duration connectTimeout) {

    /** Generous for a local server on CPU, where one tool-calling completion can take a minute. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public OpenAiCompatibleSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        String scheme = baseUrl.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("base URL '" + baseUrl + "' is not an absolute http or https URL;"
                    + " give one such as http://127.0.0.1:8080/v1");
        }
        if (baseUrl.getRawUserInfo() != null) {
            throw new IllegalArgumentException("base URL for host " + baseUrl.getHost() + " contains user"
                    + " credentials; remove them and name the API key's environment variable instead");
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("base URL '" + baseUrl + "' has a query or fragment; give only"
                    + " scheme, host, port and path");
        }
        if (apiKeyVariable != null && apiKeyVariable.isBlank()) {
            throw new IllegalArgumentException("apiKeyVariable is blank; give an environment variable name or null");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive, got " + requestTimeout);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
    }

    /** Creates settings with no API key and the default timeouts. */
    public static OpenAiCompatibleSettings of(String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("base URL '" + baseUrl + "' is not an absolute http or https URL ("
                    + e.getReason() + " at index " + e.getIndex() + "); give one such as http://127.0.0.1:8080/v1",
                    e);
        }
        return new OpenAiCompatibleSettings(uri, null, DEFAULT_REQUEST_TIMEOUT, DEFAULT_CONNECT_TIMEOUT);
    }

    /** Returns these settings with the API key read from environment variable {@code variable}. */
    public OpenAiCompatibleSettings withApiKeyVariable(String variable) {
        return new OpenAiCompatibleSettings(baseUrl, variable, requestTimeout, connectTimeout);
    }

    /** Returns these settings with another request timeout. */
    public OpenAiCompatibleSettings withRequestTimeout(Duration timeout) {
        return new OpenAiCompatibleSettings(baseUrl, apiKeyVariable, timeout, connectTimeout);
    }

    /** Returns the chat completions endpoint by the rule in the class documentation. */
    public URI chatCompletionsUri() {
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String endpointPath = path.endsWith("/v1") ? path + "/chat/completions" : path + "/v1/chat/completions";
        String authority = baseUrl.getRawAuthority();
        return URI.create(baseUrl.getScheme() + "://" + authority + endpointPath);
    }
}
