package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.Prediction;
import dev.tuneladder.core.data.TokenUsage;
import dev.tuneladder.core.judging.JudgeItem;
import dev.tuneladder.core.judging.JudgeModel;
import dev.tuneladder.core.judging.JudgeVerdict;
import dev.tuneladder.core.judging.JudgeVerdicts;
import dev.tuneladder.core.judging.PairItem;
import dev.tuneladder.core.judging.PairwiseJudge;
import dev.tuneladder.core.judging.Rubric;
import dev.tuneladder.core.judging.RubricJudge;
import dev.tuneladder.core.judging.TwoTierJudge;
import dev.tuneladder.core.planner.PromptTemplate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Judges recorded answers with an LLM judge and writes one verdict line per judgment. */
@Command(name = "judge", mixinStandardHelpOptions = true,
        description = {
            "Judges the answers of --answers (predictions JSON Lines: the answer text, else the tool calls as "
                    + "JSON, else the label) to the interactions of --dataset with a model, and writes "
                    + "verdicts.jsonl, config.json and run.json to the output folder.",
            "Default: a rubric judge scores each answer on the --rubric scale and passes it at passThreshold. "
                    + "--two-tier first extracts the --signals from the item's context (the metadata value "
                    + "under --context-field) and then judges with only those signals. --pairwise compares the "
                    + "answers of --answers (A) and --answers-b (B) with the positions swapped on a second call, "
                    + "writing both verdicts and whether they agree.",
            "Each verdict line carries the judge name, the verdict (pass, fail, A, B, tie or error), the score, "
                    + "the model id, the prompt version and every model call's raw output. A row whose judge "
                    + "call fails, whose output stays invalid after one repair request, or whose answer is "
                    + "missing or an error row gets verdict 'error' with the reason; it is never a pass.",
            "Rubric file (JSON): {\"name\", \"criteria\", \"minScore\", \"maxScore\", \"passThreshold\", "
                    + "\"wholeNumbers\"}; pairwise judges read only name and criteria. Signals file (JSON): "
                    + "[{\"name\", \"description\"}, ...].",
            "'tuneladder calibrate --format jsonl --scale pass-fail' (or pairwise) reads verdicts.jsonl."
        })
final class JudgeCommand implements Callable<Integer> {

    static final String OUTPUT_FILE = "verdicts.jsonl";

    static final PromptTemplate RUBRIC_PROMPT = new PromptTemplate("judge-built-in", """
            You are an impartial evaluator of a customer-service agent. Judge only the answer under evaluation, \
            against the rubric below. Use the reference answer and the context when they are given. Do not \
            reward length or politeness that the rubric does not ask for.""");

    static final PromptTemplate SIGNAL_PROMPT = new PromptTemplate("signals-built-in", """
            You collect facts for an evaluator. Read the customer's question and the context the agent could \
            see, and report only the facts listed below, as the context states them. Do not judge and do not \
            guess.""");

    static final PromptTemplate PAIRWISE_PROMPT = new PromptTemplate("pairwise-built-in", """
            You are an impartial evaluator comparing two answers to the same customer question. Decide which \
            answer meets the criteria below better. The order in which the answers are shown must not affect \
            your choice, and length alone is no reason to prefer an answer.""");

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    BedrockOptions bedrock = new BedrockOptions();

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "Interactions (JSON Lines) whose questions were answered; the gold answer, when "
                    + "'expected' has one, is shown to rubric judges as the reference.")
    Path dataset;

    @Option(names = "--answers", required = true, paramLabel = "FILE",
            description = "Answers to judge: predictions (JSON Lines) keyed by interaction id.")
    Path answers;

    @Option(names = "--rubric", required = true, paramLabel = "FILE",
            description = "Rubric (JSON) with the criteria and, for scoring judges, the scale and pass threshold.")
    Path rubricFile;

    @Option(names = "--two-tier", description = "Collect the --signals from the context first, then judge with "
            + "only those signals.")
    boolean twoTier;

    @Option(names = "--signals", paramLabel = "FILE",
            description = "With --two-tier: JSON array of the signals to extract, [{\"name\", \"description\"}].")
    Path signalsFile;

    @Option(names = "--pairwise", description = "Compare --answers (A) with --answers-b (B) in both orders.")
    boolean pairwise;

    @Option(names = "--answers-b", paramLabel = "FILE",
            description = "With --pairwise: the second answers (predictions JSON Lines), usually the candidate's.")
    Path answersB;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Judge name written in every verdict. Default: the rubric's name.")
    String name;

    @Option(names = "--prompt", paramLabel = "FILE",
            description = "Judge instructions (UTF-8 text) replacing the built-in ones of the judgment or "
                    + "comparison step; the rubric and the output format are appended to them.")
    Path prompt;

    @Option(names = "--context-field", paramLabel = "KEY", defaultValue = "context",
            description = "Metadata key of the interaction whose value is the context the agent saw (tool results, "
                    + "account facts, policies). Default: ${DEFAULT-VALUE}.")
    String contextField;

    @Override
    public Integer call() {
        bedrock.rejectEndpointWithoutBedrock(model.usesBedrock());
        if (!model.configured()) {
            throw new IllegalArgumentException("--model is required: the judge calls a model; use " + ModelSpec.FORMS);
        }
        if (twoTier && pairwise) {
            throw new IllegalArgumentException("--two-tier and --pairwise are different judges; choose one");
        }
        if (twoTier != (signalsFile != null)) {
            throw new IllegalArgumentException(twoTier ? "--two-tier needs --signals FILE with the signals to"
                    + " extract" : "--signals applies to --two-tier; add --two-tier or drop --signals");
        }
        if (pairwise != (answersB != null)) {
            throw new IllegalArgumentException(pairwise ? "--pairwise needs --answers-b FILE with the second"
                    + " answers" : "--answers-b applies to --pairwise; add --pairwise or drop --answers-b");
        }
        JudgeFiles.RubricFile rubric = JudgeFiles.readRubric(rubricFile);
        String judgeName = name != null ? name : rubric.name();
        List<TwoTierJudge.Signal> signals = twoTier ? JudgeFiles.readSignals(signalsFile) : List.of();
        PromptTemplate instructions = prompt == null ? (pairwise ? PAIRWISE_PROMPT : RUBRIC_PROMPT)
                : ModelRouting.prompt(prompt);

        RunFolder run = RunFolder.create(common.out, RunFolder.datasetName(answers), Clock.systemUTC());
        BadRows badRows = new BadRows(common.maxBadRows);
        List<Interaction> rows = InputFiles.readInteractions(dataset, "--dataset", row -> null, badRows);
        Set<String> ids = new HashSet<>();
        rows.forEach(row -> ids.add(row.id()));
        Map<String, Prediction> answerById = readAnswers(answers, "--answers", ids, badRows);
        Map<String, Prediction> answerBById = pairwise ? readAnswers(answersB, "--answers-b", ids, badRows) : Map.of();

        List<JudgeVerdict> verdicts = new ArrayList<>();
        String promptVersion;
        try (ModelComponents.ConfiguredModel configured = ModelComponents.open(model, bedrock)) {
            JudgeModel judgeModel = new JudgeModel(configured.client(), configured.modelId(), null);
            String task = "judging " + answers.getFileName() + " with " + configured.modelId();
            if (pairwise) {
                PairwiseJudge judge = new PairwiseJudge(judgeName, judgeModel, instructions, rubric.criteria());
                promptVersion = judge.promptVersion();
                Function<Interaction, List<JudgeVerdict>> judgeRow = row -> judgePair(judge, judgeName, row,
                        answerById.get(row.id()), answerBById.get(row.id()), configured.modelId());
                ParallelRows.map(rows, model.concurrency, judgeRow, task).forEach(verdicts::addAll);
            } else {
                Rubric scale = rubric.rubric(rubricFile);
                Function<JudgeItem, JudgeVerdict> judge;
                if (twoTier) {
                    TwoTierJudge twoTierJudge = new TwoTierJudge(judgeName, judgeModel, SIGNAL_PROMPT, signals,
                            instructions, scale);
                    promptVersion = twoTierJudge.promptVersion();
                    judge = twoTierJudge::judge;
                } else {
                    RubricJudge rubricJudge = new RubricJudge(judgeName, judgeModel, instructions, scale);
                    promptVersion = rubricJudge.promptVersion();
                    judge = rubricJudge::judge;
                }
                String version = promptVersion;
                Function<Interaction, JudgeVerdict> judgeRow = row -> judgeAnswer(judge, row, answerById.get(row.id()),
                        judgeName, version, configured.modelId(), scale.passThreshold());
                verdicts.addAll(ParallelRows.map(rows, model.concurrency, judgeRow, task));
            }
        }

        writeVerdicts(run, verdicts);
        run.recordInput("dataset", dataset);
        run.recordInput("answers", answers);
        if (answersB != null) {
            run.recordInput("answers-b", answersB);
        }
        run.recordInput("rubric", rubricFile);
        if (signalsFile != null) {
            run.recordInput("signals", signalsFile);
        }
        if (prompt != null) {
            run.recordInput("prompt", prompt);
        }
        run.writeRejects(badRows);
        run.writeConfig("judge", options(judgeName, instructions, promptVersion));
        run.writeRunManifest();

        PrintWriter out = spec.commandLine().getOut();
        printSummary(out, judgeName, promptVersion, rows.size(), verdicts);
        Reports.printFooter(out, run, badRows);
        return 0;
    }

    private static Map<String, Prediction> readAnswers(Path file, String option, Set<String> ids, BadRows badRows) {
        List<Prediction> predictions = InputFiles.readPredictions(file, option, prediction -> ids.contains(
                prediction.id()) ? null : "answer id '" + prediction.id() + "' is not in the --dataset file;"
                + " answers must belong to rows of that dataset", badRows);
        Map<String, Prediction> byId = new HashMap<>();
        predictions.forEach(prediction -> byId.put(prediction.id(), prediction));
        return byId;
    }

    private JudgeVerdict judgeAnswer(Function<JudgeItem, JudgeVerdict> judge, Interaction row, Prediction answer,
            String judgeName, String promptVersion, String modelId, double threshold) {
        String problem = answerProblem(answer, "--answers");
        if (problem != null) {
            return new JudgeVerdict(row.id(), judgeName, JudgeVerdict.ERROR, false, null, null, threshold, null,
                    null, promptVersion, modelId, problem, null, null, null);
        }
        return judge.apply(new JudgeItem(row.id(), JudgeFiles.question(row), JudgeFiles.answer(answer),
                JudgeFiles.reference(row), JudgeFiles.context(row, contextField)));
    }

    private static List<JudgeVerdict> judgePair(PairwiseJudge judge, String judgeName, Interaction row,
            Prediction answerA, Prediction answerB, String modelId) {
        String problem = answerProblem(answerA, "--answers");
        if (problem == null) {
            problem = answerProblem(answerB, "--answers-b");
        }
        if (problem != null) {
            return List.of(new JudgeVerdict(row.id(), judgeName, JudgeVerdict.ERROR, false, null, null,
                    null, null, null, judge.promptVersion(), modelId, problem, null, null, null));
        }
        return judge.judge(new PairItem(row.id(), JudgeFiles.question(row), JudgeFiles.answer(answerA),
                JudgeFiles.answer(answerB))).verdicts();
    }

    /** Returns why an answer cannot be judged, or null when it can. */
    private static String answerProblem(Prediction answer, String option) {
        if (answer == null) {
            return "no answer for this item in " + option;
        }
        if (answer.error() != null) {
            return "the answer in " + option + " is an error row, so there is nothing to judge";
        }
        if (JudgeFiles.answer(answer) == null) {
            return "the answer in " + option + " has no answer text, tool calls or label";
        }
        return null;
    }

    private static void writeVerdicts(RunFolder run, List<JudgeVerdict> verdicts) {
        Path path = run.resolve(OUTPUT_FILE);
        try (Writer writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            JudgeVerdicts.write(writer, verdicts);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write " + path, e);
        }
        run.recordOutput(path);
    }

    private Map<String, Object> options(String judgeName, PromptTemplate instructions, String promptVersion) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("judge", judgeKind());
        options.put("name", judgeName);
        options.put("dataset", dataset.toString());
        options.put("answers", answers.toString());
        options.put("answersB", answersB == null ? null : answersB.toString());
        options.put("rubric", rubricFile.toString());
        options.put("signals", signalsFile == null ? null : signalsFile.toString());
        options.put("prompt", prompt == null ? instructions.name() : prompt.toString());
        options.put("promptVersion", promptVersion);
        options.put("contextField", contextField);
        options.putAll(model.describe(bedrock));
        options.put("maxBadRows", common.maxBadRows);
        return options;
    }

    private String judgeKind() {
        if (pairwise) {
            return "pairwise";
        }
        return twoTier ? "two-tier" : "rubric";
    }

    private static void printSummary(PrintWriter out, String judgeName, String promptVersion, int items,
            List<JudgeVerdict> verdicts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String verdict : List.of(JudgeVerdict.PASS, JudgeVerdict.FAIL, JudgeVerdict.A, JudgeVerdict.B,
                JudgeVerdict.TIE, JudgeVerdict.ERROR)) {
            counts.put(verdict, 0);
        }
        int inconsistent = 0;
        long input = 0;
        long output = 0;
        for (JudgeVerdict verdict : verdicts) {
            counts.merge(verdict.verdict(), 1, Integer::sum);
            if (Boolean.FALSE.equals(verdict.consistent()) && !verdict.swapped()) {
                inconsistent++;
            }
            TokenUsage usage = verdict.usage();
            if (usage != null) {
                input += usage.inputTokens();
                output += usage.outputTokens();
            }
        }
        counts.values().removeIf(count -> count == 0);
        List<String> parts = new ArrayList<>();
        counts.forEach((verdict, count) -> parts.add(String.format(Locale.ROOT, "%s %,d", verdict, count)));
        out.printf(Locale.ROOT, "Judged %,d items with judge %s (prompt %s): %,d verdicts: %s%n", items, judgeName,
                promptVersion, verdicts.size(), String.join(", ", parts));
        if (counts.containsKey(JudgeVerdict.A) || counts.containsKey(JudgeVerdict.B)
                || counts.containsKey(JudgeVerdict.TIE)) {
            out.printf(Locale.ROOT, "%,d pairs preferred different answers in the two orders%n", inconsistent);
        }
        if (counts.getOrDefault(JudgeVerdict.ERROR, 0) > 0) {
            out.printf(Locale.ROOT, "%,d error verdicts (reasons in the 'error' field) are never a pass%n",
                    counts.get(JudgeVerdict.ERROR));
        }
        out.printf(Locale.ROOT, "Tokens: %,d input, %,d output%n", input, output);
    }
}
