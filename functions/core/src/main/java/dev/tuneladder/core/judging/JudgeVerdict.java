package dev.tuneladder.core.judging;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tuneladder.core.data.TokenUsage;
import java.util.List;
import java.util.Objects;

/**
 * One judge's verdict on one item, one line of a verdict JSON Lines file.
 *
 * <p>Vocabulary of {@code verdict}: {@value #PASS} or {@value #FAIL} for rubric and two-tier judges;
 * {@value #A}, {@value #B} or {@value #TIE} for pairwise judges, always naming the answers as the
 * {@link PairItem} does, after mapping a swapped question back; {@value #ERROR} when the judge produced no usable
 * verdict, with the reason in {@code error}. An error row is never a pass.
 *
 * @param itemId the judged item
 * @param judge the judge's name, as configured
 * @param verdict see above
 * @param swapped for pairwise judges, whether the answers were shown in swapped positions; false otherwise
 * @param score the score on the rubric's scale, or null for pairwise judges and error rows
 * @param passed whether the score reached the threshold, or null for pairwise judges and error rows
 * @param threshold the pass threshold used, or null for pairwise judges
 * @param consistent for pairwise judges, whether both orders preferred the same answer; null otherwise or when
 *     either order failed
 * @param reason the judge's own explanation, or null
 * @param promptVersion hash of every static prompt text the judge sent (see each judge)
 * @param modelId the judge model
 * @param error why no verdict was produced, or null
 * @param steps every model call made for this verdict, in order
 * @param latencyMillis summed latency of those calls in milliseconds
 * @param usage summed token counts of those calls, or null when no call returned
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JudgeVerdict(
        String itemId,
        String judge,
        String verdict,
        boolean swapped,
        Double score,
        Boolean passed,
        Double threshold,
        Boolean consistent,
        String reason,
        String promptVersion,
        String modelId,
        String error,
        List<JudgeStep> steps,
        Long latencyMillis,
        TokenUsage usage) {

    public static final String PASS = "pass";
    public static final String FAIL = "fail";
    public static final String A = "A";
    public static final String B = "B";
    public static final String TIE = "tie";
    public static final String ERROR = "error";

    private static final List<String> VERDICTS = List.of(PASS, FAIL, A, B, TIE, ERROR);

    public JudgeVerdict {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(judge, "judge");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(promptVersion, "promptVersion");
        Objects.requireNonNull(modelId, "modelId");
        if (!VERDICTS.contains(verdict)) {
            throw new IllegalArgumentException("verdict '" + verdict + "' of item '" + itemId + "' is not one of "
                    + VERDICTS);
        }
        if (verdict.equals(ERROR) != (error != null)) {
            throw new IllegalArgumentException("item '" + itemId + "': verdict 'error' and a non-null error go"
                    + " together, got verdict '" + verdict + "' and error " + (error == null ? "null" : "set"));
        }
        if (verdict.equals(ERROR) && (score != null || passed != null)) {
            throw new IllegalArgumentException("item '" + itemId + "': an error verdict has no score or pass flag");
        }
        steps = steps == null ? List.of() : List.copyOf(steps);
    }
}
