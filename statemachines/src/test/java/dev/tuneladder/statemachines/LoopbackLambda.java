package dev.tuneladder.statemachines;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Lambda Invoke endpoint on 127.0.0.1 with scripted replies or a real handler per function, plus an endpoint for
 * the state machines' service integrations ({@code POST /integrations/{action}}) that the harness routes there.
 *
 * <p>Invoke: {@code POST /2015-03-31/functions/{name}/invocations}; {@code name} may be a function ARN, and replies
 * are looked up by the function name in it. Each function replays its script in order and repeats the last reply.
 * Setting a script for a function replaces its handler, and setting a handler replaces its script. A call to a
 * function or integration with neither answers 404, which fails the task in the run.
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
  private final Map<String, RequestStreamHandler> handlers = new HashMap<>();
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
    handlers.remove("function:" + name);
    scripts.put("function:" + name, new ArrayDeque<>(List.of(replies)));
    return this;
  }

  /**
   * Serves invocations of the function with this name by running {@code handler} as the Lambda Java runtime does:
   * the request body is the input stream and what the handler writes is the reply. An exception thrown by the
   * handler becomes Lambda's function-error reply (200, {@code X-Amz-Function-Error: Unhandled}, body
   * {@code {errorMessage, errorType, stackTrace}} with the exception's class name as {@code errorType}), so the
   * task fails with the class name as its error, as Step Functions reports it for a Java function.
   */
  synchronized LoopbackLambda function(String name, RequestStreamHandler handler) {
    scripts.remove("function:" + name);
    handlers.put("function:" + name, handler);
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
      byte[] request = exchange.getRequestBody().readAllBytes();
      JsonNode body = MAPPER.readTree(request);
      RequestStreamHandler handler = record(target, body);
      Reply reply = handler == null ? next(target) : invoke(handler, target, request);
      byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      exchange.sendResponseHeaders(reply.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  /** Records the call and returns the handler that serves it, or null when a script does. */
  private synchronized RequestStreamHandler record(String target, JsonNode body) {
    calls.add(new Call(target, body));
    return handlers.get(target);
  }

  private synchronized Reply next(String target) {
    Deque<Reply> script = scripts.get(target);
    if (script == null) {
      return Reply.serviceError(404, "ResourceNotFoundException");
    }
    return script.size() > 1 ? script.removeFirst() : script.getFirst();
  }

  private static Reply invoke(RequestStreamHandler handler, String target, byte[] request) {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(request), output, new InvokeContext(target));
    } catch (Exception e) {
      // An empty stackTrace keeps the task's cause short: it quotes the message and the class name only.
      String message = e.getMessage() == null ? "" : e.getMessage();
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("errorMessage", message);
      error.put("errorType", e.getClass().getName());
      error.put("stackTrace", List.of());
      return new Reply(200, Map.of("X-Amz-Function-Error", "Unhandled"), json(error));
    }
    String payload = output.toString(StandardCharsets.UTF_8);
    return Reply.ok(payload.isEmpty() ? "null" : payload);
  }

  /** The context the Lambda runtime passes a handler: a fresh request id per invocation, logs to stderr. */
  private record InvokeContext(String target, String requestId) implements Context {

    InvokeContext(String target) {
      this(target, UUID.randomUUID().toString());
    }

    @Override
    public String getAwsRequestId() {
      return requestId;
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/" + getFunctionName();
    }

    @Override
    public String getLogStreamName() {
      return "loopback";
    }

    @Override
    public String getFunctionName() {
      return target.substring("function:".length());
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return LocalExecution.ACCOUNT + getFunctionName();
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return 900_000;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {
          System.err.print(message);
        }

        @Override
        public void log(byte[] message) {
          System.err.write(message, 0, message.length);
        }
      };
    }
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
