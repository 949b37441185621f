package dev.tuneladder.core.judging.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The recorded GPT-4 and ChatGPT verdicts on the LLMBar Natural set. The published agreement with gold is 95 and
 * 96 of 100 for GPT-4 (original and swapped order) and 80 and 83 for ChatGPT; statistics.json beside each
 * result.json contains the same figures, the count of items with the same winner in both orders ("equal") and
 * Cohen's kappa between the two orders ("kappa_agreement").
 */
class LlmBarNaturalCalibrationTest {

    private static final Path NATURAL = Path.of("../../datasets/judge_calibration/llmbar/LLMBar/Natural");

    /** Counts computed straight from the JSON, independently of the reader and the state. */
    record Counts(int items, int originalCorrect, int swappedCorrect, int sameWinner, int firstPositionBoth,
            int secondPositionBoth) {
    }

    @ParameterizedTest
    @CsvSource({
        "GPT-4, 95, 96, 95, 3, 2",
        "ChatGPT, 80, 83, 71, 25, 4"
    })
    void natural_reproducesPublishedAgreement(String judge, int originalCorrect, int swappedCorrect, int consistent,
            int firstPositionBoth, int secondPositionBoth) throws IOException {
        Path resultFile = NATURAL.resolve("evaluators/" + judge + "/Vanilla/result.json");
        CalibrationResult result = calibrate(judge, resultFile);
        JudgeCalibration calibration = result.judge(judge);

        assertThat(calibration.original().correct()).isEqualTo(originalCorrect);
        assertThat(calibration.original().withGold()).isEqualTo(100);
        assertThat(calibration.swapped().correct()).isEqualTo(swappedCorrect);
        assertThat(calibration.swapped().withGold()).isEqualTo(100);
        assertThat(calibration.all().correct()).isEqualTo(originalCorrect + swappedCorrect);
        assertThat(calibration.swapConsistency().pairs()).isEqualTo(100);
        assertThat(calibration.swapConsistency().consistent()).isEqualTo(consistent);
        assertThat(calibration.swapConsistency().firstPositionBoth()).isEqualTo(firstPositionBoth);
        assertThat(calibration.swapConsistency().secondPositionBoth()).isEqualTo(secondPositionBoth);

        Counts independent = countByLoop(resultFile);
        assertThat(independent).isEqualTo(new Counts(100, originalCorrect, swappedCorrect, consistent,
                firstPositionBoth, secondPositionBoth));
    }

    @ParameterizedTest
    @CsvSource({"GPT-4", "ChatGPT"})
    void natural_matchesStatisticsFile(String judge) throws IOException {
        Path folder = NATURAL.resolve("evaluators/" + judge + "/Vanilla");
        JsonNode statistics = Json.mapper().readTree(folder.resolve("statistics.json").toFile());
        JudgeCalibration calibration = calibrate(judge, folder.resolve("result.json")).judge(judge);
        SwapConsistency swap = calibration.swapConsistency();

        assertThat(statistics.get("correct_False").asText())
                .startsWith(calibration.original().correct() + " / 100");
        assertThat(statistics.get("correct_True").asText()).startsWith(calibration.swapped().correct() + " / 100");
        assertThat(statistics.get("equal").asText()).startsWith(swap.consistent() + " / 100");
        assertThat(swap.kappaBetweenOrders())
                .isCloseTo(statistics.get("kappa_agreement").asDouble(), within(1e-12));
    }

    @ParameterizedTest
    @CsvSource({"GPT-4", "ChatGPT"})
    void natural_goldFromDatasetEqualsGoldFromResult(String judge) throws IOException {
        Path resultFile = NATURAL.resolve("evaluators/" + judge + "/Vanilla/result.json");
        BadRows badRows = BadRows.strict();
        List<LlmBarFiles.Item> dataset;
        List<LlmBarFiles.Judgement> judgements;
        try (Reader datasetReader = Files.newBufferedReader(NATURAL.resolve("dataset.json"), StandardCharsets.UTF_8);
                Reader resultReader = Files.newBufferedReader(resultFile, StandardCharsets.UTF_8)) {
            dataset = LlmBarFiles.readDataset(datasetReader, "dataset.json", badRows);
            judgements = LlmBarFiles.readResults(resultReader, "result.json", badRows);
        }

        List<LlmBarFiles.Judgement> matched = LlmBarFiles.matchItems(judgements, "result.json", dataset,
                "dataset.json", badRows);

        assertThat(matched).hasSize(100);
        assertThat(dataset.stream().filter(item -> item.label() == 1).count()).isEqualTo(42);
        assertThat(dataset.stream().filter(item -> item.label() == 2).count()).isEqualTo(58);
    }

    @Test
    void natural_gpt4KappaAgainstGold() throws IOException {
        Path resultFile = NATURAL.resolve("evaluators/GPT-4/Vanilla/result.json");

        OrderScores original = calibrate("GPT-4", resultFile).judge("GPT-4").original();

        // Judge picks output 1 on 43 items, gold on 42, agreement on 95 of 100: 40 (1, 1), 3 (1, 2), 2 (2, 1),
        // 55 (2, 2). κ = 1 − 100·5 / (100² − (43·42 + 57·58)) = 1 − 500 / 4888 = 4388 / 4888.
        assertThat(original.kappa()).isCloseTo(4388.0 / 4888.0, within(1e-15));
        assertThat(original.accuracy()).isEqualTo(0.95);
        assertThat(original.accuracyCi95().contains(0.95)).isTrue();
        assertThat(original.accuracyCi95().low()).isGreaterThan(0.85);
    }

    private static CalibrationResult calibrate(String judge, Path resultFile) throws IOException {
        List<LlmBarFiles.Judgement> judgements;
        try (Reader reader = Files.newBufferedReader(resultFile, StandardCharsets.UTF_8)) {
            judgements = LlmBarFiles.readResults(reader, resultFile.toString(), BadRows.strict());
        }
        CalibrationState state = new CalibrationState(VerdictScale.PAIRWISE, 200, 7L);
        judgements.forEach(judgement -> state.addGold(judgement.item().itemId(), judgement.item().label()));
        LlmBarFiles.verdicts(judge, judgements).forEach(state::add);
        return state.result();
    }

    /**
     * Counts with a plain loop over the JSON. The winner under "swap = True" is already in the item's own
     * numbering, so (original 1, swapped 2) means the first position won both times.
     */
    private static Counts countByLoop(Path resultFile) throws IOException {
        JsonNode root = Json.mapper().readTree(resultFile.toFile());
        int originalCorrect = 0;
        int swappedCorrect = 0;
        int same = 0;
        int first = 0;
        int second = 0;
        for (JsonNode element : root) {
            int label = element.get("label").asInt();
            JsonNode results = element.get("results").get(0);
            int original = Integer.parseInt(results.get("swap = False").get("winner").asText());
            int swapped = Integer.parseInt(results.get("swap = True").get("winner").asText());
            if (original == label) {
                originalCorrect++;
            }
            if (swapped == label) {
                swappedCorrect++;
            }
            if (original == swapped) {
                same++;
            } else if (original == 1) {
                first++;
            } else {
                second++;
            }
        }
        return new Counts(root.size(), originalCorrect, swappedCorrect, same, first, second);
    }
}
