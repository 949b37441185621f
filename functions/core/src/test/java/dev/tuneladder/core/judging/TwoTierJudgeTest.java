package dev.tuneladder.core.judging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.model.ChatRequest;
import dev.tuneladder.core.planner.PromptTemplate;
import dev.tuneladder.core.planner.ScriptedModelClient;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoTierJudgeTest {

    private static final String CONTEXT = "account: card blocked on 2024-05-02; policy: refunds within 14 days;"
            + " marketing opt-in: yes";
    private static final JudgeItem ITEM = new JudgeItem("item-7", "Why was my card blocked?",
            "Your card was blocked on 2 May after a suspicious payment.", "Blocked on 2 May for fraud checks.",
            CONTEXT);
    private static final List<TwoTierJudge.Signal> SIGNALS = List.of(
            new TwoTierJudge.Signal("blockDate", "the date the card was blocked"),
            new TwoTierJudge.Signal("blockReason", "the recorded reason for the block"));

    private final ScriptedModelClient client = new ScriptedModelClient();

    @Test
    void judgeStoresBothStepsAndSignals() {
        client.thenText("{\"blockDate\": \"2024-05-02\", \"blockReason\": null, \"marketing\": \"yes\"}")
                .thenText("{\"score\": 4, \"reason\": \"date matches\"}");

        JudgeVerdict verdict = judge().judge(ITEM);

        assertThat(verdict.verdict()).isEqualTo(JudgeVerdict.PASS);
        assertThat(verdict.steps()).extracting(JudgeStep::step).containsExactly("signals", "judgment");
        assertThat(verdict.steps().get(0).rawOutput())
                .isEqualTo("{\"blockDate\": \"2024-05-02\", \"blockReason\": null, \"marketing\": \"yes\"}");
        assertThat(verdict.steps().get(0).parsed().toString())
                .isEqualTo("{\"blockDate\":\"2024-05-02\",\"blockReason\":null}");
        assertThat(verdict.steps().get(1).rawOutput()).isEqualTo("{\"score\": 4, \"reason\": \"date matches\"}");
        assertThat(verdict.latencyMillis()).isEqualTo(14);
    }

    @Test
    void signalStepSeesContextButNotAnswer() {
        client.thenText("{\"blockDate\": \"2024-05-02\", \"blockReason\": null}").thenText("{\"score\": 4}");

        judge().judge(ITEM);

        ChatRequest signals = client.requests().get(0);
        assertThat(signals.system()).contains("- blockDate: the date the card was blocked")
                .endsWith("{\"blockDate\": <value or null>, \"blockReason\": <value or null>}");
        assertThat(signals.messages().get(0).content())
                .isEqualTo("Question:\nWhy was my card blocked?\n\nContext:\n" + CONTEXT);
    }

    @Test
    void judgmentSeesOnlySignalsQuestionAndAnswer() {
        client.thenText("{\"blockDate\": \"2024-05-02\", \"blockReason\": null, \"marketing\": \"yes\"}")
                .thenText("{\"score\": 2}");

        judge().judge(ITEM);

        ChatRequest judgment = client.requests().get(1);
        assertThat(judgment.messages()).hasSize(1);
        String user = judgment.messages().get(0).content();
        assertThat(user).isEqualTo("Question:\nWhy was my card blocked?\n\nAnswer to judge:\nYour card was blocked on"
                + " 2 May after a suspicious payment.\n\nSignals:\n{\n  \"blockDate\" : \"2024-05-02\",\n"
                + "  \"blockReason\" : null\n}");
        assertThat(user).doesNotContain("policy").doesNotContain("marketing").doesNotContain("fraud checks");
        assertThat(judgment.system()).doesNotContain(CONTEXT);
    }

    @Test
    void missingSignalIsRepaired() {
        client.thenText("{\"blockDate\": \"2024-05-02\"}")
                .thenText("{\"blockDate\": \"2024-05-02\", \"blockReason\": \"fraud check\"}")
                .thenText("{\"score\": 5}");

        JudgeVerdict verdict = judge().judge(ITEM);

        assertThat(verdict.steps()).extracting(JudgeStep::step)
                .containsExactly("signals", "signals-repair", "judgment");
        assertThat(client.requests().get(1).messages().get(2).content()).contains("lacks the keys [blockReason]");
        assertThat(verdict.verdict()).isEqualTo(JudgeVerdict.PASS);
    }

    @Test
    void failedSignalStepIsErrorWithoutJudgment() {
        client.thenText("none").thenText("still none");

        JudgeVerdict verdict = judge().judge(ITEM);

        assertThat(verdict.verdict()).isEqualTo(JudgeVerdict.ERROR);
        assertThat(verdict.error()).startsWith("signal collection failed: invalid judge output after one repair");
        assertThat(verdict.steps()).extracting(JudgeStep::step).containsExactly("signals", "signals-repair");
        assertThat(client.requests()).hasSize(2);
    }

    @Test
    void rejudgeReusesStoredSignals() {
        client.thenText("{\"blockDate\": \"2024-05-02\", \"blockReason\": null}").thenText("{\"score\": 4}")
                .thenText("{\"score\": 2}");
        JudgeVerdict first = judge().judge(ITEM);
        JsonNode stored = first.steps().get(0).parsed();

        JudgeVerdict again = judge().rejudge(ITEM, (ObjectNode) stored);

        assertThat(client.requests()).hasSize(3);
        assertThat(client.requests().get(2).messages()).isEqualTo(client.requests().get(1).messages());
        assertThat(again.verdict()).isEqualTo(JudgeVerdict.FAIL);
        assertThat(again.steps()).extracting(JudgeStep::step).containsExactly("signals", "judgment");
        assertThat(again.steps().get(0).parsed()).isEqualTo(stored);
        assertThat(again.promptVersion()).isEqualTo(first.promptVersion());
    }

    @Test
    void promptVersionCoversBothPrompts() {
        String base = judge().promptVersion();
        TwoTierJudge otherSignals = new TwoTierJudge("tt", new JudgeModel(client, "judge-model", null),
                new PromptTemplate("signals", "Extract facts."), SIGNALS.subList(0, 1),
                new PromptTemplate("judgment", "Judge the answer."), rubric());

        assertThat(otherSignals.promptVersion()).isNotEqualTo(base);
        assertThat(judge().promptVersion()).isEqualTo(base);
    }

    private TwoTierJudge judge() {
        return new TwoTierJudge("two-tier-accuracy", new JudgeModel(client, "judge-model", null),
                new PromptTemplate("signals", "Extract facts."), SIGNALS,
                new PromptTemplate("judgment", "Judge the answer."), rubric());
    }

    private static Rubric rubric() {
        return new Rubric("accuracy", "5: every fact matches the signals.", 1, 5, 4, true);
    }
}
