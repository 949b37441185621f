package dev.tuneladder.core.evaluation.toolcalls;

import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.data.ToolCall;
import dev.tuneladder.core.importers.BfclCategory;
import dev.tuneladder.core.importers.BfclImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the shipped Berkeley Function Calling Leaderboard files and builds first-choice predictions. */
final class BfclRows {

    static final List<BfclCategory> SINGLE_TURN = List.of(
            BfclCategory.SIMPLE, BfclCategory.MULTIPLE, BfclCategory.PARALLEL, BfclCategory.PARALLEL_MULTIPLE);

    private static final Path DATA = Path.of("../../datasets/bfcl/v3_core");

    private BfclRows() {
    }

    static List<Interaction> read(BfclCategory category) {
        Path questions = DATA.resolve(category.fileName());
        Path answers = DATA.resolve("possible_answer").resolve(category.fileName());
        try {
            return BfclImporter.read(
                    Files.newBufferedReader(questions, StandardCharsets.UTF_8), questions.toString(),
                    Files.newBufferedReader(answers, StandardCharsets.UTF_8), answers.toString(),
                    category, BadRows.strict());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Interaction> readSingleTurn() {
        List<Interaction> rows = new ArrayList<>();
        SINGLE_TURN.forEach(category -> rows.addAll(read(category)));
        return rows;
    }

    static List<AcceptedCall> reference(Interaction row) {
        return row.expected().acceptedCalls();
    }

    /** One produced call per reference call, each with the first accepted value of every argument. */
    static List<ToolCall> firstChoices(Interaction row) {
        return reference(row).stream().map(AcceptedValues::firstChoiceCall).toList();
    }
}
