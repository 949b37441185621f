package dev.tuneladder.local.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.training.ArtifactPreflight;
import dev.tuneladder.core.training.ArtifactPreflightException;
import dev.tuneladder.core.training.AwsConstraints;
import dev.tuneladder.core.training.ModelImportRequest;
import dev.tuneladder.core.training.ModelImportState;
import dev.tuneladder.core.training.ModelImportStatus;
import dev.tuneladder.core.training.ModelImporter;
import dev.tuneladder.core.training.ModelModality;
import dev.tuneladder.core.training.PreflightProblem;
import dev.tuneladder.core.training.PreflightReport;
import dev.tuneladder.core.training.RequestDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelImporter} that imports nothing: {@link #startImport} runs {@link ArtifactPreflight} on the local copy
 * of the merged weights and writes the preflight report, then, when it passed, the exact CreateModelImportJob
 * request body, all to {@code <outputFolder>/<jobName>/}. {@link #getImport} reports the job as completed with a
 * note saying that no import ran.
 *
 * <p>The weights' S3 URI is resolved in an {@link S3Mirror} folder: {@code s3://bucket/key} is
 * {@code <s3Mirror>/bucket/key}. Like Bedrock, a repeated request with the same client request token returns the
 * first job's ARN instead of starting a second job.
 */
public final class DryRunModelImporter implements ModelImporter {

    public static final String REQUEST_FILE = "create-model-import-job.json";
    public static final String PREFLIGHT_FILE = "preflight.json";

    /** The job's ARN, names, token and start time, which {@link #getImport} reads back. */
    public static final String JOB_FILE = "import-job.json";

    private static final Logger LOG = LoggerFactory.getLogger(DryRunModelImporter.class);

    private final Path outputFolder;
    private final S3Mirror mirror;
    private final ModelModality modality;
    private final Clock clock;

    /**
     * @param outputFolder where each job's folder is written; created when missing
     * @param s3Mirror the local copy of the S3 buckets that the weights' URI names
     * @param modality text or multimodal, which sets the weight size limit of the preflight
     */
    public DryRunModelImporter(Path outputFolder, Path s3Mirror, ModelModality modality) {
        this(outputFolder, s3Mirror, modality, Clock.systemUTC());
    }

    DryRunModelImporter(Path outputFolder, Path s3Mirror, ModelModality modality, Clock clock) {
        this.outputFolder = Objects.requireNonNull(outputFolder, "outputFolder").toAbsolutePath().normalize();
        this.mirror = new S3Mirror(s3Mirror);
        this.modality = Objects.requireNonNull(modality, "modality");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws ArtifactPreflightException when the artifacts fail the preflight; the preflight report is written
     *     and the request is not
     */
    @Override
    public String startImport(ModelImportRequest request) {
        Objects.requireNonNull(request, "request");
        Path jobFolder = jobFolder(request.jobName());
        Optional<String> existing = existingJob(jobFolder, request);
        if (existing.isPresent()) {
            LOG.info("dry run: import job {} exists with the same client request token, returning it",
                    request.jobName());
            return existing.get();
        }

        String prefix = mirror.folderPrefix(request.modelDataUri());
        PreflightReport report = ArtifactPreflight.check(mirror.store(), prefix, modality);
        DryRunTrainingBackend.write(jobFolder.resolve(PREFLIGHT_FILE), toJson(request.modelDataUri(), report));
        if (!report.passed()) {
            LOG.info("dry run: import job {} failed the preflight with {} error(s), report in {}",
                    request.jobName(), report.errors().size(), jobFolder.resolve(PREFLIGHT_FILE));
            throw new ArtifactPreflightException(report);
        }

        String jobId = jobId(request.jobName());
        String jobArn = "arn:aws:bedrock:" + DryRunTrainingBackend.SYNTHETIC_REGION + ":"
                + DryRunTrainingBackend.SYNTHETIC_ACCOUNT + ":model-import-job/" + jobId;
        DryRunTrainingBackend.write(jobFolder.resolve(REQUEST_FILE), RequestDocuments.createModelImportJob(request));
        ObjectNode job = JsonNodeFactory.instance.objectNode()
                .put("jobArn", jobArn)
                .put("jobName", request.jobName())
                .put("importedModelName", request.importedModelName())
                .put("clientRequestToken", request.clientRequestToken())
                .put("startTime", Instant.now(clock).toString());
        DryRunTrainingBackend.write(jobFolder.resolve(JOB_FILE), job);
        LOG.info("dry run: wrote the CreateModelImportJob request of job {} to {}", request.jobName(), jobFolder);
        return jobArn;
    }

    @Override
    public ModelImportStatus getImport(String jobArn) {
        AwsConstraints.requireImportJobArn(jobArn);
        JsonNode job = findJob(jobArn).orElseThrow(() -> new ModelCallException(Kind.CLIENT_ERROR, 0,
                "no dry-run model import job " + jobArn + " in " + outputFolder
                        + ": start it first, or point the importer at the folder it was started in"));
        String jobId = jobArn.substring(jobArn.lastIndexOf('/') + 1);
        String modelArn = "arn:aws:bedrock:" + DryRunTrainingBackend.SYNTHETIC_REGION + ":"
                + DryRunTrainingBackend.SYNTHETIC_ACCOUNT + ":imported-model/" + jobId;
        String jobName = job.path("jobName").asText();
        return new ModelImportStatus(jobArn, jobName, ModelImportState.COMPLETED, null, modelArn,
                Instant.parse(job.path("startTime").asText()),
                "dry run: no import ran; the request is in " + jobFolder(jobName).resolve(REQUEST_FILE));
    }

    /** Returns the folder that contains {@code jobName}'s preflight report and request. */
    public Path jobFolder(String jobName) {
        return outputFolder.resolve(AwsConstraints.requireImportJobName(jobName));
    }

    /**
     * Returns the ARN of a job already started under this name with the same token. A different token for an
     * existing name is a conflict, as Bedrock job names are unique.
     */
    private Optional<String> existingJob(Path jobFolder, ModelImportRequest request) {
        Path jobFile = jobFolder.resolve(JOB_FILE);
        if (!Files.isRegularFile(jobFile)) {
            return Optional.empty();
        }
        JsonNode job = DryRunTrainingBackend.read(jobFile);
        if (!job.path("clientRequestToken").asText().equals(request.clientRequestToken())) {
            throw new ModelCallException(Kind.CLIENT_ERROR, 0, "dry-run model import job '" + request.jobName()
                    + "' already exists in " + jobFolder + " with another client request token: choose a new job"
                    + " name or delete that folder");
        }
        return Optional.of(job.path("jobArn").asText());
    }

    private Optional<JsonNode> findJob(String jobArn) {
        if (!Files.isDirectory(outputFolder)) {
            return Optional.empty();
        }
        List<Path> jobFiles;
        try (Stream<Path> folders = Files.list(outputFolder)) {
            jobFiles = folders.map(folder -> folder.resolve(JOB_FILE)).filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("failed to list " + outputFolder + ": " + e.getMessage(), e);
        }
        return jobFiles.stream()
                .map(DryRunTrainingBackend::read)
                .filter(job -> job.path("jobArn").asText().equals(jobArn))
                .findFirst();
    }

    /** Returns 12 lowercase hex digits derived from the job name, the id format of Bedrock's job ARNs. */
    static String jobId(String jobName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jobName.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java SE runtime has", e);
        }
    }

    private static ObjectNode toJson(String modelDataUri, PreflightReport report) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("modelDataUri", modelDataUri);
        node.put("location", report.location());
        node.put("passed", report.passed());
        node.put("fileCount", report.fileCount());
        node.put("weightBytes", report.weightBytes());
        node.put("weightLimitBytes", report.weightLimitBytes());
        ArrayNode problems = node.putArray("problems");
        for (PreflightProblem problem : report.problems()) {
            problems.addObject()
                    .put("severity", problem.severity().name())
                    .put("file", problem.file())
                    .put("reason", problem.reason())
                    .put("fix", problem.fix());
        }
        return node;
    }
}
