package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.core.storage.BlobStore;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task: the target of every Catch, which keeps the failure with the run so that the run's status
 * can say why it stopped.
 *
 * <p>Input {@code {runId, error, cause}}: the {@code Error} and {@code Cause} of the caught failure (a Catch with
 * {@code ResultPath} puts them beside the state's input; the state's Parameters pass them on under these names).
 * {@code cause} may be empty, as for {@code States.Timeout}. Writes {@code {runId, error, cause, recordedAt}} to
 * {@code runs/{runId}/failure.json}, replacing an earlier record of the same run, and returns it with
 * {@code failureKey}. The cause can quote customer text from a lower layer, so it is stored, never logged.
 */
public final class RecordFailureHandler extends StepTaskHandler {

    /** Step Functions cuts a Cause at 32,768 characters; anything longer was not written by it. */
    static final int MAX_CAUSE_CHARS = 32_768;

    private static final Logger LOG = LoggerFactory.getLogger(RecordFailureHandler.class);

    private final BlobStore store;
    private final Clock clock;

    /** Builds the run bucket's store from the environment (see {@link HandlerConfig}). */
    public RecordFailureHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private RecordFailureHandler(HandlerConfig config) {
        this(S3BlobStore.create(config.aws(), S3BlobStoreSettings.forBucket(config.bucket())), Clock.systemUTC());
    }

    RecordFailureHandler(BlobStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Returns the key of a run's failure record. */
    public static String failureKey(String runId) {
        return "runs/" + runId + "/failure.json";
    }

    @Override
    String function() {
        return "record-failure";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        String error = input.text("error");
        String cause = input.has("cause") ? input.textAllowingBlank("cause") : "";
        if (cause.length() > MAX_CAUSE_CHARS) {
            cause = cause.substring(0, MAX_CAUSE_CHARS);
        }

        ObjectNode record = MAPPER.createObjectNode();
        record.put("runId", runId);
        record.put("error", error);
        record.put("cause", cause);
        record.put("recordedAt", clock.instant().toString());
        String key = failureKey(runId);
        store.write(key, PromoteHandler.bytes(record));
        LOG.info("failure recorded: error={}", error);

        record.put("failureKey", key);
        return record;
    }
}
