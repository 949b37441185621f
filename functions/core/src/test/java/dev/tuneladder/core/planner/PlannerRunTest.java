package dev.tuneladder.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.model.ChatResponse;
import dev.tuneladder.core.model.ModelCallException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PlannerRunTest {

    private static final List<String> LABELS = List.of("even", "odd");
    private static final PromptTemplate PROMPT = new PromptTemplate("parity", "Route by parity.");
    private static final int WORKERS = 4;

    @Test
    void runKeepsInputOrderAndEveryRow() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        // The first WORKERS calls wait for each other, which only succeeds when WORKERS run at once.
        CyclicBarrier firstWave = new CyclicBarrier(WORKERS);
        AtomicInteger started = new AtomicInteger();
        ScriptedModelClient client = new ScriptedModelClient(request -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                if (started.getAndIncrement() < WORKERS) {
                    firstWave.await(10, TimeUnit.SECONDS);
                }
                return answer(request);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("the first wave did not run concurrently", e);
            } finally {
                inFlight.decrementAndGet();
            }
        });
        List<Interaction> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(Interaction.ofUtterance("row-" + i, Integer.toString(i), null));
        }
        List<Integer> progress = new ArrayList<>();

        PlannerRun.Result result = new PlannerRun(planner(client), WORKERS)
                .run(rows, (finished, total) -> progress.add(finished * 1000 + total));

        assertThat(result.predictions()).extracting(Prediction::id)
                .containsExactlyElementsOf(rows.stream().map(Interaction::id).toList());
        for (int i = 0; i < 40; i++) {
            Prediction prediction = result.predictions().get(i);
            if (i % 5 == 3) {
                assertThat(prediction.error()).as(prediction.id()).startsWith("model call failed (THROTTLED, HTTP 429)");
                assertThat(prediction.label()).as(prediction.id()).isNull();
            } else {
                assertThat(prediction.error()).as(prediction.id()).isNull();
                assertThat(prediction.label()).as(prediction.id()).isEqualTo(i % 2 == 0 ? "even" : "odd");
            }
        }
        assertThat(result.errorRows()).isEqualTo(8);
        assertThat(result.totalUsage()).isEqualTo(new TokenUsage(32 * 12, 32 * 3, 0, 0));
        assertThat(progress).hasSize(40);
        assertThat(progress.get(0)).isEqualTo(1040);
        assertThat(progress.get(39)).isEqualTo(40040);
        assertThat(maxInFlight.get()).isEqualTo(WORKERS);
    }

    @Test
    void runRecordsPlannerExceptionAsErrorRow() {
        ScriptedModelClient client = new ScriptedModelClient(request -> {
            if (request.messages().get(0).content().equals("2")) {
                throw new IllegalStateException("bug in a client");
            }
            return answer(request);
        });
        List<Interaction> rows = List.of(Interaction.ofUtterance("a", "1", null),
                Interaction.ofUtterance("b", "2", null), Interaction.ofUtterance("c", "4", null));

        PlannerRun.Result result = new PlannerRun(planner(client), 2).run(rows, (finished, total) -> { });

        assertThat(result.predictions()).extracting(Prediction::id).containsExactly("a", "b", "c");
        assertThat(result.predictions().get(1).error())
                .isEqualTo("planner failed unexpectedly: java.lang.IllegalStateException: bug in a client");
        assertThat(result.predictions().get(1).promptVersion()).isEqualTo(PROMPT.version());
        assertThat(result.errorRows()).isEqualTo(1);
    }

    @Test
    void runOfNoRowsReturnsEmptyResult() {
        PlannerRun.Result result = new PlannerRun(planner(new ScriptedModelClient()), 3)
                .run(List.of(), (finished, total) -> { });

        assertThat(result.predictions()).isEmpty();
        assertThat(result.totalUsage()).isEqualTo(new TokenUsage(0, 0, 0, 0));
    }

    @Test
    void zeroWorkersAreRejected() {
        assertThatThrownBy(() -> new PlannerRun(planner(new ScriptedModelClient()), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers must be at least 1, got 0");
    }

    /** Routes a number to its parity; every row whose number is 3 more than a multiple of 5 is throttled. */
    private static ChatResponse answer(ChatRequest request) {
        int number = Integer.parseInt(request.messages().get(0).content());
        if (number % 5 == 3) {
            throw new ModelCallException(ModelCallException.Kind.THROTTLED, 429, "stub: HTTP 429");
        }
        String intent = number % 2 == 0 ? "even" : "odd";
        return ScriptedModelClient.toolCalls("", new ToolCall("route",
                JsonNodeFactory.instance.objectNode().put("intent", intent)));
    }

    private static LlmPlanner planner(ScriptedModelClient client) {
        return LlmPlanner.forRouting(client, PlannerConfig.of("model-x", PROMPT), RoutingTool.of(LABELS),
                FewShotRetriever.none());
    }
}
