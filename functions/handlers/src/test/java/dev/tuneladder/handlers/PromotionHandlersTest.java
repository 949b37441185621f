package dev.tuneladder.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.aws.s3.S3BlobStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;

/** The promote and record-failure tasks writing to an S3-compatible server on loopback. */
class PromotionHandlersTest {

    private static final String MODEL_ARN = "arn:aws:bedrock:us-east-1:123456789012:imported-model/k2x9qwen3abc";
    private static final Instant FIRST = Instant.parse("2025-06-01T12:30:00.250Z");
    private static final Instant SECOND = Instant.parse("2025-06-08T09:00:00Z");

    @RegisterExtension
    final S3ProxyExtension s3 = StepTasks.s3();

    private S3Client client;
    private S3BlobStore store;

    @BeforeEach
    void setUp() {
        client = StepTasks.s3Client(s3);
        store = StepTasks.store(client);
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private JsonNode stored(String key) throws IOException {
        return StepTaskHandler.MAPPER.readTree(store.readAllBytes(key));
    }

    private List<String> keys(String prefix) {
        try (Stream<String> keys = store.list(prefix)) {
            return keys.toList();
        }
    }

    @Test
    void promote_sampleEvent_writesRegistry() throws IOException {
        PromoteHandler handler = new PromoteHandler(store, Clock.fixed(FIRST, ZoneOffset.UTC));

        JsonNode result = StepTasks.invoke(handler, StepTasks.event("promote.json"));

        assertThat(result.get("promotedModelArn").asText()).isEqualTo(MODEL_ARN);
        assertThat(result.get("registryKey").asText()).isEqualTo("runs/promotions/current.json");
        String historyKey = "runs/promotions/history/20250601T123000.250Z-ft-2025-06-01-a.json";
        assertThat(result.get("historyKey").asText()).isEqualTo(historyKey);
        JsonNode current = stored(PromoteHandler.CURRENT_KEY);
        assertThat(current.get("runId").asText()).isEqualTo("ft-2025-06-01-a");
        assertThat(current.get("promotedModelArn").asText()).isEqualTo(MODEL_ARN);
        assertThat(current.get("promotedAt").asText()).isEqualTo("2025-06-01T12:30:00.250Z");
        assertThat(current.get("reason").asText()).startsWith("Promoted: accuracy changed by +1.0000");
        assertThat(stored(historyKey)).isEqualTo(current);
    }

    @Test
    void promote_secondRun_keepsHistory() throws IOException {
        StepTasks.invoke(new PromoteHandler(store, Clock.fixed(FIRST, ZoneOffset.UTC)),
                StepTasks.event("promote.json"));
        ObjectNode second = StepTasks.event("promote.json");
        second.put("runId", "ft-2025-06-08-b");
        second.put("importedModelArn", "arn:aws:bedrock:us-east-1:123456789012:imported-model/z9y8x7");

        StepTasks.invoke(new PromoteHandler(store, Clock.fixed(SECOND, ZoneOffset.UTC)), second);

        assertThat(stored(PromoteHandler.CURRENT_KEY).get("runId").asText()).isEqualTo("ft-2025-06-08-b");
        assertThat(keys(PromoteHandler.HISTORY_PREFIX)).containsExactly(
                "runs/promotions/history/20250601T123000.250Z-ft-2025-06-01-a.json",
                "runs/promotions/history/20250608T090000.000Z-ft-2025-06-08-b.json");
    }

    @Test
    void promote_importJobArn_rejected() {
        ObjectNode event = StepTasks.event("promote.json");
        event.put("importedModelArn", "arn:aws:bedrock:us-east-1:123456789012:model-import-job/abcd1234efgh");

        assertThatThrownBy(() -> StepTasks.invoke(new PromoteHandler(store, Clock.systemUTC()), event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> {
                    assertThat(e.field()).isEqualTo("importedModelArn");
                    assertThat(e.getMessage()).contains("not an imported model ARN");
                });
        assertThat(keys("runs/")).isEmpty();
    }

    @Test
    void promote_missingReason_namesReason() {
        ObjectNode event = StepTasks.event("promote.json");
        event.remove("reason");

        assertThatThrownBy(() -> StepTasks.invoke(new PromoteHandler(store, Clock.systemUTC()), event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> assertThat(e.field()).isEqualTo("reason"));
    }

    @Test
    void recordFailure_sampleEvent_writesRecord() throws IOException {
        RecordFailureHandler handler = new RecordFailureHandler(store, Clock.fixed(FIRST, ZoneOffset.UTC));
        ObjectNode event = StepTasks.event("record-failure.json");

        JsonNode result = StepTasks.invoke(handler, event);

        assertThat(result.get("failureKey").asText()).isEqualTo("runs/ft-2025-06-01-a/failure.json");
        JsonNode written = stored("runs/ft-2025-06-01-a/failure.json");
        assertThat(written.get("error").asText()).isEqualTo("dev.tuneladder.handlers.ArtifactPreflightFailed");
        assertThat(written.get("cause").asText()).isEqualTo(event.get("cause").asText());
        assertThat(written.get("recordedAt").asText()).isEqualTo("2025-06-01T12:30:00.250Z");
        assertThat(written.get("runId").asText()).isEqualTo("ft-2025-06-01-a");
        ObjectNode withoutKey = result.deepCopy();
        withoutKey.remove("failureKey");
        assertThat(withoutKey).isEqualTo(written);
    }

    @Test
    void recordFailure_emptyCause_recorded() throws IOException {
        ObjectNode event = StepTasks.event("record-failure.json");
        event.put("error", "States.Timeout");
        event.put("cause", "");

        StepTasks.invoke(new RecordFailureHandler(store, Clock.systemUTC()), event);

        assertThat(stored("runs/ft-2025-06-01-a/failure.json").get("cause").asText()).isEmpty();
    }

    @Test
    void recordFailure_missingError_namesError() {
        ObjectNode event = StepTasks.event("record-failure.json");
        event.remove("error");

        assertThatThrownBy(() -> StepTasks.invoke(new RecordFailureHandler(store, Clock.systemUTC()), event))
                .isInstanceOfSatisfying(InvalidTaskInput.class, e -> assertThat(e.field()).isEqualTo("error"));
        assertThat(keys("runs/")).isEmpty();
    }
}
