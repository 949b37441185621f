package dev.tuneladder.statemachines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Lambda Invoke endpoint on 127.0.0.1 with scripted replies per function, plus an endpoint for the state machines'
 * service integrations ({@code POST /integrations/{action}}) that the harness routes there.
 *
 * <p>Invoke: {@code POST /2015-03-31/functions/{name}/invocations}; {@code name} may be a function ARN, and replies
 * are looked up by the function name in it. Each function replays its script in order and repeats the last reply.
 * A call to a function or integration without a script answers 404, which fails the task in the run.
 */
final class LoopbackLambda implements AutoCloseable {

  /** One scripted reply: an HTTP status, headers and a JSON body. */
  record Reply(int status, Map<String, String> headers, String body) {

    /** A successful invocation returning {@code payload}. */
    static Reply ok(String payloadJson) {
      return new Reply(200, Map.of(), payloadJson);
    }

    /**
     * The handler threw: Lambda answers 200 with {@code X-Amz-Function-Error: Unhandled} and the error in the body;
     * Step Functions names the task error after {@code errorType}.
     */
    static Reply functionError(String errorType, String errorMessage) {
      String body = json(Map.of("errorType", errorType, "errorMessage", errorMessage));
      return new Reply(200, Map.of("X-Amz-Function-Error", "Unhandled"), body);
    }

    /** The Lambda service refused the call, e.g. 429 TooManyRequestsException or 500 ServiceException. */
    static Reply serviceError(int status, String exceptionName) {
      String body = json(Map.of("Type", "Service", "message", exceptionName + " from the loopback endpoint"));
      return new Reply(status, Map.of("X-Amzn-ErrorType", exceptionName), body);
    }

    /** A service integration task fails with {@code error} and {@code cause}, as Step Functions reports it. */
    static Reply taskError(String error, String cause) {
      return new Reply(400, Map.of(), json(Map.of("error", error, "cause", cause)));
    }
  }

  /** One request the server received. */
  record Call(String target, JsonNode body) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String INVOKE_PREFIX = "/2015-03-31/functions/";
  private static final String INTEGRATION_PREFIX = "/integrations/";

  private final HttpServer server;
  private final Map<String, Deque<Reply>> scripts = new HashMap<>();
  private final List<Call> calls = new ArrayList<>();

  LoopbackLambda() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Scripts the replies of the function with this name (the last part of its ARN). */
  synchronized LoopbackLambda function(String name, Reply... replies) {
    scripts.put("function:" + name, new ArrayDeque<>(List.of(replies)));
    return this;
  }

  /** Scripts the replies of a service integration, e.g. {@code aws-sdk:bedrock:getModelImportJob}. */
  synchronized LoopbackLambda integration(String action, Reply... replies) {
    scripts.put("integration:" + action, new ArrayDeque<>(List.of(replies)));
    return this;
  }

  /** Requests received for a function or integration, in order; target as in {@code function:gate}. */
  synchronized List<JsonNode> callsTo(String target) {
    return calls.stream().filter(c -> c.target().equals(target)).map(Call::body).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String target = targetOf(path);
      JsonNode body = MAPPER.readTree(exchange.getRequestBody());
      Reply reply = next(target, body);
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private synchronized Reply next(String target, JsonNode body) {
    calls.add(new Call(target, body));
    Deque<Reply> script = scripts.get(target);
    if (script == null) {
      return Reply.serviceError(404, "ResourceNotFoundException");
    }
    return script.size() > 1 ? script.removeFirst() : script.getFirst();
  }

  private static String targetOf(String rawPath) {
    if (rawPath.startsWith(INVOKE_PREFIX) && rawPath.endsWith("/invocations")) {
      String name = URLDecoder.decode(
          rawPath.substring(INVOKE_PREFIX.length(), rawPath.length() - "/invocations".length()),
          StandardCharsets.UTF_8);
      int marker = name.indexOf(":function:");
      if (marker >= 0) {
        name = name.substring(marker + ":function:".length());
      }
      int qualifier = name.indexOf(':');
      return "function:" + (qualifier >= 0 ? name.substring(0, qualifier) : name);
    }
    if (rawPath.startsWith(INTEGRATION_PREFIX)) {
      return "integration:" + URLDecoder.decode(rawPath.substring(INTEGRATION_PREFIX.length()), StandardCharsets.UTF_8);
    }
    return "unknown:" + rawPath;
  }

  static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + value + " as JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
