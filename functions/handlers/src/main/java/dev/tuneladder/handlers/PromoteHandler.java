package dev.tuneladder.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import dev.tuneladder.core.storage.BlobStore;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step Functions task: makes an imported model the one production calls, by writing the promotion registry.
 *
 * <p>Input {@code {runId, importedModelArn, reason}}. Writes the record {@code {runId, promotedModelArn, reason,
 * promotedAt}} to {@value #HISTORY_PREFIX}{@code {timestamp}-{runId}.json}, then to {@value #CURRENT_KEY}, which
 * the agent reads. History first: a failure between the two writes leaves the current model unchanged and the
 * attempt on record, and a retry writes both again. Output the record plus {@code registryKey} and
 * {@code historyKey}.
 */
public final class PromoteHandler extends StepTaskHandler {

    /** The registry object: the promoted model now. */
    public static final String CURRENT_KEY = "runs/promotions/current.json";

    /** One object per promotion, named so that keys sort by time. */
    public static final String HISTORY_PREFIX = "runs/promotions/history/";

    /** UTC, to the millisecond, with no ':' so the key is safe in every tool that copies S3 objects to disk. */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** The ARN of a model imported through Custom Model Import, in any partition. */
    static final Pattern IMPORTED_MODEL_ARN =
            Pattern.compile("arn:aws[a-z-]*:bedrock:[a-z0-9-]+:[0-9]{12}:imported-model/[A-Za-z0-9]+");

    /** Reasons are one sentence from the gate; the bound keeps the record small. */
    static final int MAX_REASON_CHARS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(PromoteHandler.class);

    private final BlobStore store;
    private final Clock clock;

    /** Builds the run bucket's store from the environment (see {@link HandlerConfig}). */
    public PromoteHandler() {
        this(HandlerConfig.fromEnvironment());
    }

    private PromoteHandler(HandlerConfig config) {
        this(S3BlobStore.create(config.aws(), S3BlobStoreSettings.forBucket(config.bucket())), Clock.systemUTC());
    }

    PromoteHandler(BlobStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    String function() {
        return "promote";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        String modelArn = input.text("importedModelArn");
        if (!IMPORTED_MODEL_ARN.matcher(modelArn).matches()) {
            throw input.invalid("importedModelArn", "is '" + modelArn + "', not an imported model ARN; pass the"
                    + " importedModelArn of the completed import job, such as"
                    + " arn:aws:bedrock:us-east-1:123456789012:imported-model/abc123");
        }
        String reason = input.text("reason");
        if (reason.length() > MAX_REASON_CHARS) {
            throw input.invalid("reason", "has " + reason.length() + " characters; give at most "
                    + MAX_REASON_CHARS + ", such as the gate's reason");
        }
        Instant now = clock.instant();

        ObjectNode record = MAPPER.createObjectNode();
        record.put("runId", runId);
        record.put("promotedModelArn", modelArn);
        record.put("reason", reason);
        record.put("promotedAt", now.toString());
        byte[] bytes = bytes(record);
        String historyKey = HISTORY_PREFIX + TIMESTAMP.format(now) + "-" + runId + ".json";
        store.write(historyKey, bytes);
        store.write(CURRENT_KEY, bytes);
        LOG.info("model promoted: historyKey={}", historyKey);

        ObjectNode result = record.deepCopy();
        result.put("registryKey", CURRENT_KEY);
        result.put("historyKey", historyKey);
        return result;
    }

    static byte[] bytes(ObjectNode record) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
