package dev.tuneladder.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import org.slf4j.MDC;

/**
 * Puts the request id and run id of one invocation into the logging context, where the JSON log layout writes
 * them into every line, and removes them when the invocation ends.
 */
final class Invocation implements AutoCloseable {

    static final String REQUEST_ID = "requestId";
    static final String RUN_ID = "runId";
    static final String FUNCTION = "function";

    private Invocation() {
    }

    static Invocation start(Context context, String function) {
        MDC.put(REQUEST_ID, context == null || context.getAwsRequestId() == null ? "-" : context.getAwsRequestId());
        MDC.put(FUNCTION, function);
        return new Invocation();
    }

    static void runId(String runId) {
        if (runId != null) {
            MDC.put(RUN_ID, runId);
        }
    }

    @Override
    public void close() {
        MDC.remove(REQUEST_ID);
        MDC.remove(RUN_ID);
        MDC.remove(FUNCTION);
    }
}
