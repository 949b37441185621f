package dev.tuneladder.cli;

import dev.tuneladder.core.data.BadRows;
import dev.tuneladder.core.data.Interaction;
import dev.tuneladder.core.importers.Banking77Importer;
import dev.tuneladder.core.importers.ImportFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A dataset folder the ladder can run on: either BANKING77's layout ({@code train.csv}, {@code test.csv} and an
 * optional {@code categories.json}) or interactions already imported ({@code train.jsonl} and
 * {@code test.jsonl}, with an optional {@code labels.json}).
 *
 * @param labels every valid label, or null when the folder lists none
 */
record LadderDataset(Path folder, List<Interaction> train, List<Interaction> test, Set<String> labels,
        List<Path> files) {

    static LadderDataset read(Path folder, BadRows badRows) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("--dataset " + folder + " is not a folder; give a folder with "
                    + "train.csv and test.csv (BANKING77 layout) or train.jsonl and test.jsonl");
        }
        if (Files.isRegularFile(folder.resolve("train.csv")) && Files.isRegularFile(folder.resolve("test.csv"))) {
            return readBanking77(folder, badRows);
        }
        if (Files.isRegularFile(folder.resolve("train.jsonl")) && Files.isRegularFile(folder.resolve("test.jsonl"))) {
            return readInteractions(folder, badRows);
        }
        throw new IllegalArgumentException("--dataset " + folder + " has neither train.csv and test.csv "
                + "(BANKING77 layout) nor train.jsonl and test.jsonl (run 'tuneladder import' first)");
    }

    private static LadderDataset readBanking77(Path folder, BadRows badRows) {
        Path categories = folder.resolve("categories.json");
        Set<String> labels = Files.isRegularFile(categories) ? InputFiles.readLabels(categories, "--dataset") : null;
        Path trainFile = folder.resolve("train.csv");
        Path testFile = folder.resolve("test.csv");
        List<Interaction> train = Banking77Importer.read(InputFiles.open(trainFile, "--dataset"),
                trainFile.toString(), ImportFormat.idPrefixOf(trainFile.toString()), labels, badRows);
        List<Interaction> test = Banking77Importer.read(InputFiles.open(testFile, "--dataset"),
                testFile.toString(), ImportFormat.idPrefixOf(testFile.toString()), labels, badRows);
        List<Path> files = labels == null ? List.of(trainFile, testFile) : List.of(trainFile, testFile, categories);
        return new LadderDataset(folder, train, test, labels, files);
    }

    private static LadderDataset readInteractions(Path folder, BadRows badRows) {
        Path labelFile = folder.resolve("labels.json");
        Set<String> labels = Files.isRegularFile(labelFile) ? InputFiles.readLabels(labelFile, "--dataset") : null;
        Path trainFile = folder.resolve("train.jsonl");
        Path testFile = folder.resolve("test.jsonl");
        List<Interaction> train = InputFiles.readInteractions(trainFile, "--dataset",
                row -> checkLabel(row, labels), badRows);
        List<Interaction> test = InputFiles.readInteractions(testFile, "--dataset",
                row -> checkLabel(row, labels), badRows);
        List<Path> files = labels == null ? List.of(trainFile, testFile) : List.of(trainFile, testFile, labelFile);
        return new LadderDataset(folder, train, test, labels, files);
    }

    private static String checkLabel(Interaction row, Set<String> labels) {
        if (row.intent() == null) {
            return "row '" + row.id() + "' has no intent label; the ladder needs labelled train and test rows";
        }
        if (labels != null && !labels.contains(row.intent())) {
            return "intent '" + row.intent() + "' is not in labels.json; fix the label or add it there";
        }
        return null;
    }
}
