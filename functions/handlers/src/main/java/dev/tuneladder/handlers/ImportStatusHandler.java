package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.bedrock.imports.BedrockModelImporter;
import dev.tuneladder.core.training.ModelImportState;
import dev.tuneladder.core.training.ModelImportStatus;
import dev.tuneladder.core.training.ModelImporter;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.bedrock.BedrockClient;

/**
 * Step Functions task: one poll of a Bedrock model import job, for a Wait / poll / Choice loop with a bounded
 * number of polls.
 *
 * <p>Input {@code {runId, importJobArn, attempt, maxAttempts}}, where {@code attempt} counts the polls already
 * made (0 on the first) and {@code maxAttempts} is the poll budget. Output {@code {runId, importJobArn, status,
 * importedModelArn?, failureMessage?, attempt, maxAttempts, exhausted}}: {@code status} is the API's value
 * ({@code InProgress}, {@code Completed} or {@code Failed}), {@code attempt} counts this poll too, and
 * {@code exhausted} is true when the job is still in progress and the budget is spent. The output is a valid
 * input for the next poll, so the loop can pass it back unchanged.
 */
public final class ImportStatusHandler extends StepTaskHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ImportStatusHandler.class);

    private final ModelImporter importer;

    /** Builds the Bedrock control-plane client from the environment (see {@link HandlerConfig}). */
    public ImportStatusHandler() {
        this(new BedrockModelImporter(HandlerConfig.fromEnvironment().aws().configure(BedrockClient.builder())
                .build()));
    }

    ImportStatusHandler(ModelImporter importer) {
        this.importer = Objects.requireNonNull(importer, "importer");
    }

    @Override
    String function() {
        return "import-status";
    }

    @Override
    ObjectNode handle(TaskInput input, String runId) {
        String jobArn = input.text("importJobArn");
        int maxAttempts = input.integer("maxAttempts");
        if (maxAttempts < 1) {
            throw input.invalid("maxAttempts", "is " + maxAttempts + "; give the poll budget, 1 or more");
        }
        int attempt = input.integer("attempt");
        if (attempt < 0 || attempt >= maxAttempts) {
            throw input.invalid("attempt", "is " + attempt + " but must be 0 to " + (maxAttempts - 1) + " (polls"
                    + " already made, below maxAttempts " + maxAttempts + "); start the loop at 0 and stop it when"
                    + " exhausted is true");
        }

        ModelImportStatus status;
        try {
            status = importer.getImport(jobArn);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput(input.path("importJobArn"), "task input field 'importJobArn' is invalid: "
                    + e.getMessage(), e);
        }
        int polls = attempt + 1;
        boolean exhausted = !status.state().terminal() && polls >= maxAttempts;
        LOG.info("import job polled: status={} attempt={} of {} exhausted={}", status.state().apiValue(), polls,
                maxAttempts, exhausted);

        ObjectNode result = MAPPER.createObjectNode();
        result.put("runId", runId);
        result.put("importJobArn", jobArn);
        result.put("status", status.state().apiValue());
        if (status.state() == ModelImportState.COMPLETED && status.importedModelArn() != null) {
            result.put("importedModelArn", status.importedModelArn());
        }
        if (status.failureMessage() != null) {
            result.put("failureMessage", status.failureMessage());
        }
        result.put("attempt", polls);
        result.put("maxAttempts", maxAttempts);
        result.put("exhausted", exhausted);
        return result;
    }
}
