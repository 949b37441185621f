package dev.tuneladder.handlers.probe;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs inside a separate JVM whose class path is the shaded handlers jar plus this class only, the way the Lambda
 * Java runtime loads a function: a public no-argument constructor, then {@code handleRequest}. It uses nothing but
 * the JDK and the Lambda interfaces that the jar itself carries, so a class or resource missing from the jar shows
 * up here as it would in a deployed function.
 *
 * <p>Arguments: {@code construct CLASS...} builds each handler; {@code stream CLASS EVENT OUT} sends the JSON file
 * EVENT to a stream handler and writes its output to OUT; {@code api CLASS BODY OUT} sends a POST with BODY to an
 * API Gateway proxy handler and writes {@code STATUS\nBODY} to OUT. Results go to files because the handlers' logs
 * go to standard output.
 */
public final class ShadedJarProbe {

    private ShadedJarProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "construct" -> {
                for (int i = 1; i < args.length; i++) {
                    Class.forName(args[i]).getConstructor().newInstance();
                }
            }
            case "stream" -> {
                RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[1]).getConstructor()
                        .newInstance();
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                try (InputStream input = Files.newInputStream(Path.of(args[2]))) {
                    handler.handleRequest(input, output, new ProbeContext("probe-request-1"));
                }
                Files.write(Path.of(args[3]), output.toByteArray());
            }
            case "api" -> {
                @SuppressWarnings("unchecked")
                RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler =
                        (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>)
                                Class.forName(args[1]).getConstructor().newInstance();
                APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                        .withHttpMethod("POST")
                        .withHeaders(Map.of("Content-Type", "application/json"))
                        .withBody(args[2])
                        .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                                .withRequestId("probe-api-request-1"));
                APIGatewayProxyResponseEvent response = handler.handleRequest(event,
                        new ProbeContext("probe-api-request-1"));
                Files.writeString(Path.of(args[3]), response.getStatusCode() + "\n" + response.getBody(),
                        StandardCharsets.UTF_8);
            }
            default -> throw new IllegalArgumentException("unknown probe mode " + args[0]
                    + "; use construct, stream or api");
        }
    }

    /** The fields a handler reads from the runtime's context; the rest return fixed values. */
    private record ProbeContext(String requestId) implements Context {

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/probe";
        }

        @Override
        public String getLogStreamName() {
            return "probe";
        }

        @Override
        public String getFunctionName() {
            return "probe";
        }

        @Override
        public String getFunctionVersion() {
            return "1";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:probe:live";
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
            return 60_000;
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
                    System.out.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.write(message, 0, message.length);
                }
            };
        }
    }
}
