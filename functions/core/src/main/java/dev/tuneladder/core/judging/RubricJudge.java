package dev.tuneladder.core.judging;

import dev.tuneladder.core.planner.PromptTemplate;
import java.util.Objects;

/**
 * Scores one answer against a rubric and passes it when the score reaches the rubric's threshold.
 *
 * <p>The system prompt is the judge prompt, the rubric criteria and the required output
 * {@code {"score": <number>, "reason": "..."}}; the user message holds the question, the answer, and the
 * reference answer and context when the item has them. {@link #promptVersion()} hashes the whole system prompt,
 * so it changes with the judge prompt, the criteria or the scale. Thread-safe when the client is.
 */
public final class RubricJudge {

    private final String name;
    private final JudgeModel model;
    private final Rubric rubric;
    private final String system;

    /**
     * @param name the judge name written in every verdict, for example {@code helpfulness-v1}
     */
    public RubricJudge(String name, JudgeModel model, PromptTemplate prompt, Rubric rubric) {
        this.name = requireName(name);
        this.model = Objects.requireNonNull(model, "model");
        this.rubric = Objects.requireNonNull(rubric, "rubric");
        this.system = Prompts.scoringSystem(Objects.requireNonNull(prompt, "prompt").text(), rubric);
    }

    public String promptVersion() {
        return PromptTemplate.contentHash(system);
    }

    /** Judges one item; a failure is returned as an {@value JudgeVerdict#ERROR} verdict, never thrown. */
    public JudgeVerdict judge(JudgeItem item) {
        String user = Prompts.sections(
                "Question", item.question(),
                "Answer to judge", item.answer(),
                "Reference answer", item.reference(),
                "Context", item.context());
        JudgeCall.Outcome outcome = JudgeCall.ask(model, system, user, "judgment", Prompts.SCORE_SHAPE,
                Prompts.scoreValidator(rubric));
        if (outcome.failed()) {
            return new JudgeVerdict(item.itemId(), name, JudgeVerdict.ERROR, false, null, null,
                    rubric.passThreshold(), null, null, promptVersion(), model.modelId(), outcome.error(),
                    outcome.steps(), outcome.latencyMillis(), outcome.usage());
        }
        double score = outcome.object().get("score").asDouble();
        boolean passed = rubric.passes(score);
        return new JudgeVerdict(item.itemId(), name, passed ? JudgeVerdict.PASS : JudgeVerdict.FAIL, false, score,
                passed, rubric.passThreshold(), null, Prompts.reasonOf(outcome.object()), promptVersion(),
                model.modelId(), null, outcome.steps(), outcome.latencyMillis(), outcome.usage());
    }

    static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("judge name is blank");
        }
        return name;
    }
}
