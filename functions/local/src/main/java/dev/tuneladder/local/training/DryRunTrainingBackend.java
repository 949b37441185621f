package dev.tuneladder.local.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.data.Json;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.training.AwsConstraints;
import dev.tuneladder.core.training.LaunchedTrainingJob;
import dev.tuneladder.core.training.LoraTrainingSpec;
import dev.tuneladder.core.training.RequestDocuments;
import dev.tuneladder.core.training.TrainingBackend;
import dev.tuneladder.core.training.TrainingJobState;
import dev.tuneladder.core.training.TrainingJobStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TrainingBackend} that runs nothing: {@link #launch} writes the exact CreateTrainingJob request body and a
 * listing of each channel's training files to {@code <outputFolder>/<jobName>/}, and {@link #describe} reports the
 * job as completed with a note saying that no training ran.
 *
 * <p>Channel URIs are resolved in an {@link S3Mirror} folder: {@code s3://bucket/key} is {@code <s3Mirror>/bucket/key}.
 * The {@code train} channel must hold at least one file there, because a job without training data cannot run; the
 * other channels may be empty, so that a base model too large to copy locally can stay in S3.
 *
 * <p>State lives in the output folder only, so a second process can describe a job the first one launched.
 */
public final class DryRunTrainingBackend implements TrainingBackend {

    /** The request body, as {@code RequestDocuments.createTrainingJob} renders it. */
    public static final String REQUEST_FILE = "create-training-job.json";

    /** The files under each channel's S3 prefix that SageMaker would copy to {@code /opt/ml/input/data/<channel>}. */
    public static final String FILES_LISTING = "training-files.json";

    /** The account and Region in synthetic ARNs, which no real resource has. */
    static final String SYNTHETIC_ACCOUNT = "000000000000";
    static final String SYNTHETIC_REGION = "local";

    private static final Logger LOG = LoggerFactory.getLogger(DryRunTrainingBackend.class);

    private final Path outputFolder;
    private final S3Mirror mirror;

    /**
     * @param outputFolder where each job's folder is written; created when missing
     * @param s3Mirror the local copy of the S3 buckets that the channel URIs name
     */
    public DryRunTrainingBackend(Path outputFolder, Path s3Mirror) {
        this.outputFolder = Objects.requireNonNull(outputFolder, "outputFolder").toAbsolutePath().normalize();
        this.mirror = new S3Mirror(s3Mirror);
    }

    @Override
    public LaunchedTrainingJob launch(LoraTrainingSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Path jobFolder = outputFolder.resolve(spec.jobName());
        if (Files.exists(jobFolder.resolve(REQUEST_FILE))) {
            throw new ModelCallException(Kind.CLIENT_ERROR, 0, "dry-run training job '" + spec.jobName()
                    + "' already exists in " + jobFolder + ": training job names must be unique, so choose a new"
                    + " one or delete that folder");
        }

        ObjectNode listing = listChannels(spec);
        write(jobFolder.resolve(REQUEST_FILE), RequestDocuments.createTrainingJob(spec));
        write(jobFolder.resolve(FILES_LISTING), listing);
        LOG.info("dry run: wrote the CreateTrainingJob request of job {} to {}", spec.jobName(), jobFolder);
        return new LaunchedTrainingJob(spec.jobName(), arnOf(spec.jobName()));
    }

    @Override
    public TrainingJobStatus describe(String jobName) {
        Path requestFile = requireJob(jobName);
        JsonNode request = read(requestFile);
        JsonNode output = request.path("OutputDataConfig");
        String outputPath = output.path("S3OutputPath").asText();
        // NOTE: SageMaker writes <S3OutputPath>/<job name>/output/model.tar.gz, or the files of /opt/ml/model
        // under .../output/model/ when CompressionType is NONE; neither layout is checked against a real job here.
        String jobOutput = outputPath + (outputPath.endsWith("/") ? "" : "/") + jobName + "/output/";
        String artifacts = "NONE".equals(output.path("CompressionType").asText())
                ? jobOutput + "model/" : jobOutput + "model.tar.gz";
        return new TrainingJobStatus(jobName, arnOf(jobName), TrainingJobState.COMPLETED,
                TrainingJobState.COMPLETED.apiValue(), null, artifacts, 0L,
                "dry run: no training ran; the request is in " + requestFile);
    }

    /** Does nothing but check that the job exists, because a dry-run job is complete from the start. */
    @Override
    public void stop(String jobName) {
        requireJob(jobName);
        LOG.info("dry run: training job {} is already complete, nothing to stop", jobName);
    }

    /** Returns the folder that contains {@code jobName}'s request and listing. */
    public Path jobFolder(String jobName) {
        return outputFolder.resolve(AwsConstraints.requireTrainingJobName(jobName));
    }

    private ObjectNode listChannels(LoraTrainingSpec spec) {
        ObjectNode listing = JsonNodeFactory.instance.objectNode();
        listing.put("jobName", spec.jobName());
        listing.put("s3Mirror", mirror.folder().toString());
        ArrayNode channels = listing.putArray("channels");
        for (Map.Entry<String, String> channel : spec.channels().entrySet()) {
            String prefix = mirror.keyPrefix(channel.getValue());
            ObjectNode node = channels.addObject();
            node.put("channel", channel.getKey());
            node.put("s3Uri", channel.getValue());
            node.put("containerPath", "/opt/ml/input/data/" + channel.getKey());
            ArrayNode files = node.putArray("files");
            long totalBytes = 0;
            List<String> keys;
            try (Stream<String> listed = mirror.store().list(prefix)) {
                keys = listed.toList();
            }
            for (String key : keys) {
                long bytes = mirror.store().size(key).orElse(0);
                totalBytes += bytes;
                files.addObject().put("name", key.substring(prefix.length())).put("bytes", bytes);
            }
            node.put("totalBytes", totalBytes);
            if (keys.isEmpty() && channel.getKey().equals("train")) {
                throw new IllegalStateException("dry run of training job '" + spec.jobName() + "': the train channel "
                        + channel.getValue() + " has no files under " + mirror.folder().resolve(prefix)
                        + "; export the training data there first");
            }
        }
        return listing;
    }

    private Path requireJob(String jobName) {
        Path requestFile = jobFolder(jobName).resolve(REQUEST_FILE);
        if (!Files.isRegularFile(requestFile)) {
            throw new ModelCallException(Kind.CLIENT_ERROR, 0, "no dry-run training job '" + jobName + "' in "
                    + outputFolder + ": launch it first, or point the backend at the folder it was launched in");
        }
        return requestFile;
    }

    static String arnOf(String jobName) {
        return "arn:aws:sagemaker:" + SYNTHETIC_REGION + ":" + SYNTHETIC_ACCOUNT + ":training-job/"
                + jobName.toLowerCase(Locale.ROOT);
    }

    static void write(Path file, JsonNode document) {
        try {
            Files.createDirectories(file.getParent());
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), document);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to write " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + file + ": " + e.getMessage(), e);
        }
    }
}
