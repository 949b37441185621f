package dev.tuneladder.aws.bedrock;

import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * Maps AWS SDK exceptions to {@link ModelCallException} kinds. Messages carry the operation, model or job, HTTP
 * status, AWS error code, request id and the service's own message, never request or response text.
 *
 * <p>Built for Bedrock Runtime and also used by the Bedrock control plane and SageMaker adapters: the
 * Runtime-specific exception classes are checked first, and any other service's errors are classified by HTTP
 * status and the SDK's throttling error codes.
 */
public final class BedrockErrors {

    /** Maximum length kept of the service's error message, so an unexpectedly long message cannot flood logs. */
    private static final int MAX_SERVICE_MESSAGE_CHARS = 300;

    private BedrockErrors() {
    }

    /**
     * Converts an SDK exception from one call of {@code operation} (Converse, InvokeModel) on {@code modelId}.
     * When the calling thread was interrupted, its interrupt flag is set again, because the SDK clears it.
     */
    static ModelCallException toModelCallException(String operation, String modelId, SdkException error) {
        return toModelCallException(error, "Bedrock", "Bedrock " + operation + " call to model '" + modelId + "'",
                "; check the model id, the Region, the IAM permission bedrock:InvokeModel and the request settings",
                ", or raise the call timeout for long generations");
    }

    /**
     * Converts an SDK exception from one call to any AWS service. When the calling thread was interrupted, its
     * interrupt flag is set again, because the SDK clears it.
     *
     * @param service the service name for the network hint, such as {@code SageMaker}
     * @param call the call for the message, such as {@code SageMaker DescribeTrainingJob call for training job 'x'}
     * @param clientErrorHint what to check when the service rejects the request, starting with {@code "; "}
     * @param timeoutHint what else may help after a timeout, appended to "a retry may succeed"; empty for none
     */
    public static ModelCallException toModelCallException(SdkException error, String service, String call,
            String clientErrorHint, String timeoutHint) {
        if (error instanceof AwsServiceException serviceError) {
            return fromServiceError(call, serviceError, clientErrorHint);
        }

        String prefix = call + " ";
        if (error instanceof ApiCallTimeoutException || error instanceof ApiCallAttemptTimeoutException
                || hasCause(error, SocketTimeoutException.class)) {
            return new ModelCallException(Kind.TIMEOUT, 0, prefix + "timed out with no complete response ("
                    + error.getClass().getSimpleName() + "); a retry may succeed" + timeoutHint, error);
        }
        if (error instanceof AbortedException || hasCause(error, InterruptedException.class)
                || hasCause(error, InterruptedIOException.class)) {
            Thread.currentThread().interrupt();
            return new ModelCallException(Kind.CANCELLED, 0, prefix + "was cancelled: the calling thread was"
                    + " interrupted", error);
        }
        if (isUnreadableResponse(error)) {
            return new ModelCallException(Kind.MALFORMED_RESPONSE, 0, prefix + "returned a response that is not"
                    + " the documented JSON shape: " + error.getClass().getSimpleName(), error);
        }
        // Connection refused or reset and other I/O failures before a response: transient as far as we can tell.
        return new ModelCallException(Kind.SERVER_ERROR, 0, prefix + "failed with no HTTP response: "
                + error.getClass().getSimpleName() + ": " + truncate(error.getMessage())
                + "; check the endpoint and the network path to " + service, error);
    }

    private static ModelCallException fromServiceError(String call, AwsServiceException error,
            String clientErrorHint) {
        int status = error.statusCode();
        AwsErrorDetails details = error.awsErrorDetails();
        String code = details == null || details.errorCode() == null ? error.getClass().getSimpleName()
                : details.errorCode();
        String serviceMessage = details == null ? null : details.errorMessage();
        Kind kind = kindOf(error);

        String message = call + " failed: HTTP " + status + " "
                + code + ", request id " + error.requestId()
                + (serviceMessage == null ? "" : ": " + truncate(serviceMessage))
                + (kind == Kind.CLIENT_ERROR ? clientErrorHint : hint(kind));
        return new ModelCallException(kind, status, message, error);
    }

    /**
     * Returns the kind of a service error. The exception class decides first, because the SDK's service model gives
     * ModelNotReadyException HTTP 429, the same status as throttling.
     */
    public static Kind kindOf(AwsServiceException error) {
        if (error instanceof ModelNotReadyException) {
            return Kind.MODEL_NOT_READY;
        }
        if (error instanceof ThrottlingException) {
            return Kind.THROTTLED;
        }
        if (error instanceof ModelTimeoutException) {
            return Kind.TIMEOUT;
        }
        if (error instanceof ServiceUnavailableException || error instanceof InternalServerException) {
            return Kind.SERVER_ERROR;
        }

        int status = error.statusCode();
        if (status == 429 || error.isThrottlingException()) {
            return Kind.THROTTLED;
        }
        if (status == 408) {
            return Kind.TIMEOUT;
        }
        if (status >= 500) {
            return Kind.SERVER_ERROR;
        }
        return Kind.CLIENT_ERROR;
    }

    private static String hint(Kind kind) {
        return switch (kind) {
            case THROTTLED -> "; back off and lower the request rate, or raise the quota";
            case MODEL_NOT_READY -> "; the imported model is being restored after idling, retry after a backoff";
            case TIMEOUT -> "; the model did not finish in time, retry or lower maxTokens";
            case SERVER_ERROR -> "; a retry after a backoff may succeed";
            default -> "";
        };
    }

    /**
     * Returns whether the SDK failed to read a response it received: a body that is not JSON, cut short, or
     * not the modeled shape.
     */
    private static boolean isUnreadableResponse(SdkException error) {
        String message = error.getMessage();
        if (message != null && message.startsWith("Unable to unmarshall")) {
            return true;
        }
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            // The SDK parses JSON with its own shaded copy of jackson-core; its parse errors are I/O exceptions.
            if (cause.getClass().getName().contains(".jackson.core.") || cause instanceof UncheckedIOException
                    && cause.getCause() != null && cause.getCause().getClass().getName().contains(".jackson.core.")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    static String truncate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_SERVICE_MESSAGE_CHARS ? text : text.substring(0, MAX_SERVICE_MESSAGE_CHARS) + "…";
    }
}
