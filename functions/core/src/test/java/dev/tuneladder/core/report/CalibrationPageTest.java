package dev.tuneladder.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.judging.calibration.CalibrationReport;
import dev.tuneladder.core.judging.calibration.CalibrationResult;
import dev.tuneladder.core.judging.calibration.CalibrationState;
import dev.tuneladder.core.judging.calibration.LlmBarFiles;
import dev.tuneladder.core.judging.calibration.RaterKind;
import dev.tuneladder.core.judging.calibration.Verdict;
import dev.tuneladder.core.judging.calibration.VerdictScale;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** calibration.html of the recorded GPT-4 and ChatGPT verdicts on the LLMBar Natural set. */
class CalibrationPageTest {

    private static final Path EVALUATORS = Path.of("../../datasets/judge_calibration/llmbar/LLMBar/Natural/evaluators");

    private static CalibrationResult natural;

    @BeforeAll
    static void calibrate() throws IOException {
        CalibrationState state = new CalibrationState(VerdictScale.PAIRWISE, 200, 7L);
        for (String judge : List.of("GPT-4", "ChatGPT")) {
            Path file = EVALUATORS.resolve(judge + "/Vanilla/result.json");
            List<LlmBarFiles.Judgement> judgements;
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                judgements = LlmBarFiles.readResults(reader, file.toString(), BadRows.strict());
            }
            judgements.forEach(judgement -> state.addGold(judgement.item().itemId(), judgement.item().label()));
            LlmBarFiles.verdicts(judge, judgements).forEach(state::add);
        }
        natural = state.result();
    }

    @Test
    void render_page_selfContained() {
        Document page = PageChecks.parseSelfContained(CalibrationPage.render(natural, "LLMBar Natural"));

        assertThat(Xml.texts(Xml.named(page, "h1"))).containsExactly("Judge calibration");
        assertThat(Xml.texts(Xml.named(page, "h2"))).containsExactly("Judges", "Accuracy by judge and order",
                "Swap consistency");
        assertThat(page.getDocumentElement().getTextContent()).contains("LLMBar Natural. Scale pairwise: 100 items,"
                + " 100 with a gold label.");
    }

    @Test
    void render_judgeTable_sameRowsAsMarkdown() {
        Document page = Xml.parsePage(CalibrationPage.render(natural, "LLMBar Natural"));

        List<String> expected = CalibrationReport.judgeRows(natural).stream().map(row -> String.join("", row))
                .toList();
        assertThat(PageChecks.rowTexts(page, "judges")).isEqualTo(expected);
        assertThat(String.join("\n", expected)).contains("0.950 (95/100)", "0.960 (96/100)", "0.800 (80/100)",
                "0.830 (83/100)");
    }

    @Test
    void render_forestPlot_onePointPerJudgeAndOrder() {
        Document page = Xml.parsePage(CalibrationPage.render(natural, "LLMBar Natural"));

        Element forest = Xml.named(page, "svg").get(0);
        assertThat(forest.getAttribute("aria-label")).isEqualTo("Accuracy against gold by judge and order");
        List<String> points = Xml.withClass(page, "point").stream().map(Element::getTextContent).toList();
        assertThat(points).hasSize(4);
        assertThat(String.join("\n", points)).contains("ChatGPT · original", "GPT-4 · swapped", "0.950", "0.830");
        // The chance line of a pairwise judge.
        assertThat(Xml.withClass(page, "reference")).hasSize(1);
    }

    @Test
    void render_swapConsistency_tableAndBars() {
        Document page = Xml.parsePage(CalibrationPage.render(natural, "LLMBar Natural"));

        assertThat(PageChecks.rowTexts(page, "swap")).containsExactly(
                "ChatGPT10071" + "0.710" + "254" + String.format(Locale.ROOT, "%.3f",
                        natural.judge("ChatGPT").swapConsistency().kappaBetweenOrders()),
                "GPT-410095" + "0.950" + "32" + String.format(Locale.ROOT, "%.3f",
                        natural.judge("GPT-4").swapConsistency().kappaBetweenOrders()));
        assertThat(Xml.withClass(page, "bar")).hasSize(2);
    }

    @Test
    void render_reviewers_tableAndFleissKappa() {
        CalibrationState state = new CalibrationState(VerdictScale.PASS_FAIL, 50, 1L);
        String[][] verdicts = {{"ann", "i1", "pass"}, {"bob", "i1", "pass"}, {"ann", "i2", "fail"},
            {"bob", "i2", "pass"}, {"ann", "i3", "pass"}, {"bob", "i3", "pass"}};
        for (String[] verdict : verdicts) {
            state.add(new Verdict(verdict[1], verdict[0], RaterKind.REVIEWER,
                    VerdictScale.PASS_FAIL.codeOf(verdict[2]), false));
        }

        Document page = PageChecks.parseSelfContained(CalibrationPage.render(state.result(), "reviewers"));

        assertThat(Xml.texts(Xml.named(page, "h2"))).containsExactly("Reviewers");
        assertThat(PageChecks.rowTexts(page, "reviewers")).hasSize(2);
        assertThat(page.getDocumentElement().getTextContent()).contains("Fleiss' kappa over 3 items");
    }
}
