package dev.tuneladder.core.judging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.planner.PromptTemplate;
import java.util.List;
import java.util.Objects;

/**
 * Compares two answers with a position swap: the model is asked once with the answers in the item's order and
 * once with them swapped, because judges tend to favour one position. The swapped answer is mapped back, so
 * both verdicts name the answers as the {@link PairItem} does.
 *
 * <p>The pair is consistent when both orders give the same preference (a tie in both counts). An inconsistent
 * pair's preference is a tie. When either order fails, the pair has an error and no preference.
 * {@link #promptVersion()} hashes the system prompt. Thread-safe when the client is.
 */
public final class PairwiseJudge {

    /** The expected output, quoted in the prompt and in repair requests. */
    static final String SHAPE = "{\"preferred\": \"A\" | \"B\" | \"tie\", \"reason\": \"<one or two sentences>\"}";

    private final String name;
    private final JudgeModel model;
    private final String system;

    /**
     * The two verdicts of one pair and their combination.
     *
     * @param inOrder the verdict with the answers as given ({@code swapped} false)
     * @param swapped the verdict with the answers swapped ({@code swapped} true), mapped back
     * @param consistent whether both name the same preference; null when either failed
     * @param preferred {@value JudgeVerdict#A}, {@value JudgeVerdict#B} or {@value JudgeVerdict#TIE}; a tie
     *     when inconsistent; null when either failed
     */
    public record PairwiseResult(JudgeVerdict inOrder, JudgeVerdict swapped, Boolean consistent, String preferred) {

        public PairwiseResult {
            Objects.requireNonNull(inOrder, "inOrder");
            Objects.requireNonNull(swapped, "swapped");
        }

        /** Returns both verdicts, in order then swapped, as written to a verdict file. */
        public List<JudgeVerdict> verdicts() {
            return List.of(inOrder, swapped);
        }

        public boolean failed() {
            return consistent == null;
        }
    }

    /**
     * @param criteria what makes one answer better than the other, shown to the judge
     */
    public PairwiseJudge(String name, JudgeModel model, PromptTemplate prompt, String criteria) {
        this.name = RubricJudge.requireName(name);
        this.model = Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(criteria, "criteria");
        this.system = prompt.text() + "\n\nCriteria:\n" + criteria
                + "\n\nAnswer \"tie\" when neither answer is better. Reply with only a JSON object of this form: "
                + SHAPE;
    }

    public String promptVersion() {
        return PromptTemplate.contentHash(system);
    }

    /** Asks in both orders and combines the answers. */
    public PairwiseResult judge(PairItem item) {
        JudgeVerdict inOrder = ask(item, false);
        JudgeVerdict swapped = ask(item, true);
        Boolean consistent = null;
        String preferred = null;
        if (inOrder.error() == null && swapped.error() == null) {
            consistent = inOrder.verdict().equals(swapped.verdict());
            preferred = consistent ? inOrder.verdict() : JudgeVerdict.TIE;
        }
        return new PairwiseResult(withConsistency(inOrder, consistent), withConsistency(swapped, consistent),
                consistent, preferred);
    }

    private JudgeVerdict ask(PairItem item, boolean swap) {
        String user = Prompts.sections(
                "Question", item.question(),
                "Answer A", swap ? item.answerB() : item.answerA(),
                "Answer B", swap ? item.answerA() : item.answerB());
        JudgeCall.Outcome outcome = JudgeCall.ask(model, system, user, "comparison", SHAPE,
                PairwiseJudge::validPreference);
        if (outcome.failed()) {
            return new JudgeVerdict(item.itemId(), name, JudgeVerdict.ERROR, swap, null, null, null, null, null,
                    promptVersion(), model.modelId(), outcome.error(), outcome.steps(), outcome.latencyMillis(),
                    outcome.usage());
        }
        String shown = outcome.object().get("preferred").asText();
        String verdict = swap ? mappedBack(shown) : shown;
        return new JudgeVerdict(item.itemId(), name, verdict, swap, null, null, null, null,
                Prompts.reasonOf(outcome.object()), promptVersion(), model.modelId(), null, outcome.steps(),
                outcome.latencyMillis(), outcome.usage());
    }

    private static String mappedBack(String shown) {
        return switch (shown) {
            case JudgeVerdict.A -> JudgeVerdict.B;
            case JudgeVerdict.B -> JudgeVerdict.A;
            default -> JudgeVerdict.TIE;
        };
    }

    private static JudgeVerdict withConsistency(JudgeVerdict verdict, Boolean consistent) {
        return new JudgeVerdict(verdict.itemId(), verdict.judge(), verdict.verdict(), verdict.swapped(),
                verdict.score(), verdict.passed(), verdict.threshold(), consistent, verdict.reason(),
                verdict.promptVersion(), verdict.modelId(), verdict.error(), verdict.steps(), verdict.latencyMillis(),
                verdict.usage());
    }

    /** Accepts {@code preferred} of A, B or tie, in any letter case; keeps it normalized with the reason. */
    private static ObjectNode validPreference(ObjectNode object) {
        JsonNode preferred = object.get("preferred");
        if (preferred == null || !preferred.isTextual()) {
            throw new JudgeCall.InvalidOutput("the field 'preferred' is missing or not text");
        }
        String normalized = switch (preferred.asText().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "a" -> JudgeVerdict.A;
            case "b" -> JudgeVerdict.B;
            case "tie" -> JudgeVerdict.TIE;
            default -> throw new JudgeCall.InvalidOutput("the field 'preferred' is '" + preferred.asText()
                    + "'; expected \"A\", \"B\" or \"tie\"");
        };
        ObjectNode kept = Json.mapper().createObjectNode().put("preferred", normalized);
        JsonNode reason = object.get("reason");
        if (reason != null && reason.isTextual()) {
            kept.set("reason", reason);
        }
        return kept;
    }
}
