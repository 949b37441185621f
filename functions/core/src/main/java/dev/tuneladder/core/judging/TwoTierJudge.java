package dev.tuneladder.core.judging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.planner.PromptTemplate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Judges in two model calls, so that the judgment rests on the facts the question needs and not on everything
 * the agent saw.
 *
 * <ol>
 *   <li>Signal collection: the model reads the question and the item's context (tool results, account records,
 *       policies) and returns a JSON object with exactly the configured signals, null where the context has
 *       none. Keys it adds beyond those are dropped. It does not see the answer under judgment.
 *   <li>Judgment: the model sees the question, the answer under judgment and the signals, and scores the answer
 *       against the rubric. It never sees the context or the reference answer.
 * </ol>
 *
 * <p>Both calls, and a repair call of either, are stored in {@link JudgeVerdict#steps()}; the kept signals are
 * the {@code parsed} object of the {@code signals} (or {@code signals-repair}) step, and {@link #rejudge} runs the
 * judgment again on them. {@link #promptVersion()} hashes both system prompts. Thread-safe when the client is.
 */
public final class TwoTierJudge {

    /**
     * One fact the judgment needs.
     *
     * @param name the JSON key, for example {@code refundPolicyAllowsRefund}
     * @param description what to extract, shown to the model
     */
    public record Signal(String name, String description) {

        public Signal {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            if (name.isBlank()) {
                throw new IllegalArgumentException("signal name is blank");
            }
        }
    }

    private final String name;
    private final JudgeModel model;
    private final Rubric rubric;
    private final List<Signal> signals;
    private final String signalSystem;
    private final String judgmentSystem;
    private final String signalShape;

    /**
     * @param signalPrompt instructions for the signal-collection step
     * @param signals the facts to extract, at least one, with unique names
     * @param judgmentPrompt instructions for the judgment step
     */
    public TwoTierJudge(String name, JudgeModel model, PromptTemplate signalPrompt, List<Signal> signals,
            PromptTemplate judgmentPrompt, Rubric rubric) {
        this.name = RubricJudge.requireName(name);
        this.model = Objects.requireNonNull(model, "model");
        this.rubric = Objects.requireNonNull(rubric, "rubric");
        if (signals == null || signals.isEmpty()) {
            throw new IllegalArgumentException("two-tier judge '" + name + "' needs at least one signal");
        }
        Set<String> names = new HashSet<>();
        for (Signal signal : signals) {
            if (!names.add(signal.name())) {
                throw new IllegalArgumentException("two-tier judge '" + name + "' lists signal '" + signal.name()
                        + "' twice");
            }
        }
        this.signals = List.copyOf(signals);
        this.signalShape = signalShape(this.signals);
        this.signalSystem = signalSystem(Objects.requireNonNull(signalPrompt, "signalPrompt").text(), this.signals,
                signalShape);
        this.judgmentSystem = Prompts.scoringSystem(
                Objects.requireNonNull(judgmentPrompt, "judgmentPrompt").text(), rubric);
    }

    public String promptVersion() {
        return PromptTemplate.contentHash(signalSystem, judgmentSystem);
    }

    /** Collects the signals, then judges; a failure of either step is an {@value JudgeVerdict#ERROR} verdict. */
    public JudgeVerdict judge(JudgeItem item) {
        String user = Prompts.sections(
                "Question", item.question(),
                "Context", item.context() == null ? "(none)" : item.context());
        JudgeCall.Outcome collected = JudgeCall.ask(model, signalSystem, user, "signals", signalShape,
                this::keepSignals);
        if (collected.failed()) {
            return new JudgeVerdict(item.itemId(), name, JudgeVerdict.ERROR, false, null, null,
                    rubric.passThreshold(), null, null, promptVersion(), model.modelId(),
                    "signal collection failed: " + collected.error(), collected.steps(), collected.latencyMillis(),
                    collected.usage());
        }
        return judgeWith(item, collected.object(), collected);
    }

    /**
     * Runs only the judgment step on signals collected earlier, for example those stored in a verdict's
     * {@code signals} step.
     */
    public JudgeVerdict rejudge(JudgeItem item, ObjectNode signals) {
        ObjectNode kept;
        try {
            kept = keepSignals(signals);
        } catch (JudgeCall.InvalidOutput e) {
            throw new IllegalArgumentException("stored signals of item '" + item.itemId() + "' are incomplete: "
                    + e.getMessage());
        }
        return judgeWith(item, kept, null);
    }

    private JudgeVerdict judgeWith(JudgeItem item, ObjectNode kept, JudgeCall.Outcome collected) {
        String user = Prompts.sections(
                "Question", item.question(),
                "Answer to judge", item.answer(),
                "Signals", Prompts.text(kept));
        JudgeCall.Outcome judged = JudgeCall.ask(model, judgmentSystem, user, "judgment", Prompts.SCORE_SHAPE,
                Prompts.scoreValidator(rubric));
        List<JudgeStep> steps = new ArrayList<>();
        long latencyMillis = judged.latencyMillis();
        if (collected != null) {
            steps.addAll(collected.steps());
            latencyMillis += collected.latencyMillis();
        } else {
            steps.add(new JudgeStep("signals", "", kept, null));
        }
        steps.addAll(judged.steps());
        var usage = JudgeCall.sum(collected == null ? null : collected.usage(), judged.usage());
        if (judged.failed()) {
            return new JudgeVerdict(item.itemId(), name, JudgeVerdict.ERROR, false, null, null,
                    rubric.passThreshold(), null, null, promptVersion(), model.modelId(),
                    "judgment failed: " + judged.error(), steps, latencyMillis, usage);
        }
        double score = judged.object().get("score").asDouble();
        boolean passed = rubric.passes(score);
        return new JudgeVerdict(item.itemId(), name, passed ? JudgeVerdict.PASS : JudgeVerdict.FAIL, false, score,
                passed, rubric.passThreshold(), null, Prompts.reasonOf(judged.object()), promptVersion(),
                model.modelId(), null, steps, latencyMillis, usage);
    }

    /** Keeps exactly the configured signals, in their order; a missing one makes the output invalid. */
    private ObjectNode keepSignals(ObjectNode object) {
        ObjectNode kept = Json.mapper().createObjectNode();
        List<String> missing = new ArrayList<>();
        for (Signal signal : signals) {
            JsonNode value = object.get(signal.name());
            if (value == null) {
                missing.add(signal.name());
            } else {
                kept.set(signal.name(), value.deepCopy());
            }
        }
        if (!missing.isEmpty()) {
            throw new JudgeCall.InvalidOutput("the signal object lacks the keys " + missing
                    + "; give every key, with null when the context does not contain it");
        }
        return kept;
    }

    private static String signalShape(List<Signal> signals) {
        List<String> entries = new ArrayList<>();
        for (Signal signal : signals) {
            entries.add(TextNode.valueOf(signal.name()) + ": <value or null>");
        }
        return "{" + String.join(", ", entries) + "}";
    }

    private static String signalSystem(String prompt, List<Signal> signals, String shape) {
        StringBuilder system = new StringBuilder(prompt).append("\n\nSignals to extract:");
        for (Signal signal : signals) {
            system.append("\n- ").append(signal.name()).append(": ").append(signal.description());
        }
        return system.append("\n\nUse null for a signal the context does not contain. Reply with only a JSON object"
                + " with exactly these keys: ").append(shape).toString();
    }
}
