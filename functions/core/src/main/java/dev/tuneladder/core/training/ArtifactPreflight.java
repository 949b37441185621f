package dev.tuneladder.core.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneladder.core.storage.BlobKeys;
import dev.tuneladder.core.storage.BlobStore;
import dev.tuneladder.core.training.PreflightProblem.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checks a merged model folder against Bedrock Custom Model Import's requirements before an import job is started,
 * so that a missing file fails in seconds with the fix instead of after a job has run.
 *
 * <p>Checks, per the Custom Model Import guide: the Hugging Face files it requires at minimum ({@code *.safetensors},
 * {@code config.json}, {@code tokenizer_config.json}, {@code tokenizer.json}, {@code tokenizer.model}) at the top
 * of the folder; the total weight size under the modality's limit; and a chat template, given as
 * {@code chat_template.jinja}, {@code chat_template.json} or a {@code chat_template} field in
 * {@code tokenizer_config.json}. A template found only in a separate file is a warning, because InvokeModel's
 * OpenAI chat completion format needs it inside {@code tokenizer_config.json}.
 */
public final class ArtifactPreflight {

    static final String CONFIG = "config.json";
    static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    static final String TOKENIZER = "tokenizer.json";
    // NOTE: the import guide lists tokenizer.model as required for every model, with no exception per tokenizer
    // type. Byte-level BPE tokenizers (Llama 3, Qwen2, GPT-2) save no tokenizer.model, so this check rejects their
    // folders. Bedrock may accept such folders, which has not been tried against the service.
    static final String SENTENCEPIECE_MODEL = "tokenizer.model";
    static final String TEMPLATE_JINJA = "chat_template.jinja";
    static final String TEMPLATE_JSON = "chat_template.json";

    private static final String WEIGHTS = "*.safetensors";
    private static final String SAVE_FIX = "save the merged model and tokenizer with"
            + " model.save_pretrained(out, safe_serialization=True) and tokenizer.save_pretrained(out), then upload"
            + " the folder again";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ArtifactPreflight() {
    }

    /**
     * Checks the files under {@code prefix} in {@code store}: lists them, reads their sizes and reads
     * {@code tokenizer_config.json} when it is there.
     *
     * @param prefix the model folder, ending in '/', or empty for the whole store
     */
    public static PreflightReport check(BlobStore store, String prefix, ModelModality modality) {
        Objects.requireNonNull(store, "store");
        BlobKeys.requireValidPrefix(prefix);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            throw new IllegalArgumentException("model folder prefix '" + prefix + "' must end with '/' so that it"
                    + " names one folder");
        }

        List<ArtifactFile> files = new ArrayList<>();
        try (Stream<String> keys = store.list(prefix)) {
            keys.forEach(key -> files.add(new ArtifactFile(key.substring(prefix.length()),
                    store.size(key).orElse(0))));
        }
        String tokenizerConfig = null;
        if (store.exists(prefix + TOKENIZER_CONFIG)) {
            tokenizerConfig = new String(store.readAllBytes(prefix + TOKENIZER_CONFIG), StandardCharsets.UTF_8);
        }
        // location() takes object keys only, so the folder's location is built from the store's name.
        String location = store.name() + (store.name().endsWith("/") || prefix.isEmpty() ? "" : "/") + prefix;
        return check(location, files, tokenizerConfig, modality);
    }

    /**
     * Checks a listing of a model folder.
     *
     * @param location where the files are, for the report and messages
     * @param files every file in the folder, names relative to it
     * @param tokenizerConfigJson the content of the top-level {@code tokenizer_config.json}; null only when the
     *     listing has no such file
     * @throws IllegalArgumentException when the listing has {@code tokenizer_config.json} but its content is null
     */
    public static PreflightReport check(String location, List<ArtifactFile> files, String tokenizerConfigJson,
            ModelModality modality) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(modality, "modality");
        boolean hasTokenizerConfig = topLevel(files, TOKENIZER_CONFIG).isPresent();
        if (hasTokenizerConfig && tokenizerConfigJson == null) {
            throw new IllegalArgumentException("the listing of " + location + " has " + TOKENIZER_CONFIG
                    + " but its content was not given: read the file and pass its text");
        }

        List<PreflightProblem> problems = new ArrayList<>();
        long weightBytes = checkWeights(files, modality, problems);
        for (String required : List.of(CONFIG, TOKENIZER_CONFIG, TOKENIZER, SENTENCEPIECE_MODEL)) {
            checkRequired(files, required, problems);
        }
        checkChatTemplate(files, hasTokenizerConfig ? tokenizerConfigJson : null, problems);

        problems.sort(Comparator.comparing(PreflightProblem::severity));
        return new PreflightReport(location, files.size(), weightBytes, modality.weightLimitBytes(), problems);
    }

    private static long checkWeights(List<ArtifactFile> files, ModelModality modality,
            List<PreflightProblem> problems) {
        List<ArtifactFile> weights = files.stream()
                .filter(f -> f.topLevel() && f.name().endsWith(".safetensors"))
                .toList();
        if (weights.isEmpty()) {
            List<String> otherWeights = files.stream()
                    .map(ArtifactFile::name)
                    .filter(n -> n.endsWith(".safetensors") || n.endsWith(".bin") || n.endsWith(".pt")
                            || n.endsWith(".pth"))
                    .limit(5)
                    .toList();
            String found = otherWeights.isEmpty() ? "no weight files at all"
                    : "only " + String.join(", ", otherWeights);
            problems.add(new PreflightProblem(Severity.ERROR, WEIGHTS, "no safetensors weights at the top of the"
                    + " folder (found " + found + "); Custom Model Import reads Hugging Face safetensors only",
                    SAVE_FIX));
            return 0;
        }

        long total = 0;
        for (ArtifactFile weight : weights) {
            total += weight.sizeBytes();
            if (weight.sizeBytes() == 0) {
                problems.add(new PreflightProblem(Severity.ERROR, weight.name(), "the weight file is empty, so an"
                        + " upload or save was cut short", SAVE_FIX));
            }
        }
        if (total >= modality.weightLimitBytes()) {
            problems.add(new PreflightProblem(Severity.ERROR, WEIGHTS, String.format(Locale.ROOT,
                    "the %d weight files total %.1f GB, but Custom Model Import takes %s models under %d GB",
                    weights.size(), total / (double) ModelModality.BYTES_PER_GB,
                    modality.name().toLowerCase(Locale.ROOT), modality.weightLimitGb()),
                    "save the weights in bf16 or fp16 rather than fp32, or fine-tune a smaller base model"));
        }
        return total;
    }

    private static void checkRequired(List<ArtifactFile> files, String required, List<PreflightProblem> problems) {
        if (topLevel(files, required).isPresent()) {
            return;
        }
        Optional<ArtifactFile> nested = files.stream().filter(f -> f.fileName().equals(required)).findFirst();
        if (nested.isPresent()) {
            problems.add(new PreflightProblem(Severity.ERROR, required, "found only at " + nested.get().name()
                    + ", but Custom Model Import reads it from the top of the folder",
                    "move it to the top of the folder, beside the safetensors files"));
            return;
        }
        String fix = required.equals(CONFIG) ? SAVE_FIX
                : "save the tokenizer with tokenizer.save_pretrained(out) into the merged model folder and upload it";
        problems.add(new PreflightProblem(Severity.ERROR, required, "missing; Custom Model Import requires it", fix));
    }

    private static void checkChatTemplate(List<ArtifactFile> files, String tokenizerConfigJson,
            List<PreflightProblem> problems) {
        boolean separateFile = topLevel(files, TEMPLATE_JINJA).isPresent()
                || topLevel(files, TEMPLATE_JSON).isPresent();
        boolean embedded = false;
        if (tokenizerConfigJson != null) {
            try {
                embedded = hasTemplate(MAPPER.readTree(tokenizerConfigJson).get("chat_template"));
            } catch (JsonProcessingException e) {
                problems.add(new PreflightProblem(Severity.ERROR, TOKENIZER_CONFIG, "not valid JSON: "
                        + e.getOriginalMessage(), "save the tokenizer again with tokenizer.save_pretrained(out)"));
                return;
            }
        }

        if (!embedded && !separateFile) {
            problems.add(new PreflightProblem(Severity.ERROR, TOKENIZER_CONFIG, "no chat template: neither a"
                    + " chat_template field in " + TOKENIZER_CONFIG + " nor a " + TEMPLATE_JINJA + " or "
                    + TEMPLATE_JSON + " file, so the model cannot format chat messages",
                    "set tokenizer.chat_template to the template used in training before"
                            + " tokenizer.save_pretrained(out)"));
        } else if (!embedded) {
            problems.add(new PreflightProblem(Severity.WARNING, TOKENIZER_CONFIG, "the chat template is only in a"
                    + " separate file; InvokeModel's OpenAI chat completion format needs it in the chat_template"
                    + " field of " + TOKENIZER_CONFIG, "copy the template into the chat_template field of "
                    + TOKENIZER_CONFIG));
        }
    }

    /** Returns whether {@code template} is a non-empty string or a list of named templates with one non-empty. */
    private static boolean hasTemplate(JsonNode template) {
        if (template == null) {
            return false;
        }
        if (template.isTextual()) {
            return !template.asText().isBlank();
        }
        if (template.isArray()) {
            for (JsonNode named : template) {
                JsonNode text = named.get("template");
                if (text != null && text.isTextual() && !text.asText().isBlank()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<ArtifactFile> topLevel(List<ArtifactFile> files, String name) {
        return files.stream().filter(f -> f.topLevel() && f.name().equals(name)).findFirst();
    }
}
