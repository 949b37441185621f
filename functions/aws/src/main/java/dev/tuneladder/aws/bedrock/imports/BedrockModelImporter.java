package dev.tuneladder.aws.bedrock.imports;

import dev.tuneladder.aws.bedrock.BedrockErrors;
import dev.tuneladder.core.model.ModelCallException;
import dev.tuneladder.core.model.ModelCallException.Kind;
import dev.tuneladder.core.training.AwsConstraints;
import dev.tuneladder.core.training.ModelImportRequest;
import dev.tuneladder.core.training.ModelImportState;
import dev.tuneladder.core.training.ModelImportStatus;
import dev.tuneladder.core.training.ModelImporter;
import dev.tuneladder.core.training.RequestDocuments;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrock.BedrockClient;
import software.amazon.awssdk.services.bedrock.model.CreateModelImportJobRequest;
import software.amazon.awssdk.services.bedrock.model.CreateModelImportJobResponse;
import software.amazon.awssdk.services.bedrock.model.GetModelImportJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelDataSource;
import software.amazon.awssdk.services.bedrock.model.S3DataSource;
import software.amazon.awssdk.services.bedrock.model.Tag;

/**
 * A {@link ModelImporter} over Bedrock Custom Model Import on the Bedrock control plane: CreateModelImportJob and
 * GetModelImportJob.
 *
 * <p>The request carries the same fields, with the same values, as {@link RequestDocuments#createModelImportJob}.
 * The caller's client request token is always sent, so a retried start returns the first job instead of starting a
 * second one. One attempt per call: failures are thrown as {@link ModelCallException} with a kind for the caller's
 * retry layer, mapped by {@link BedrockErrors}. Thread-safe. The SDK client is the caller's to close.
 */
public final class BedrockModelImporter implements ModelImporter {

    private static final Logger LOG = LoggerFactory.getLogger(BedrockModelImporter.class);

    private static final String CLIENT_ERROR_HINT = "; check the names, the Region (Custom Model Import runs in"
            + " a few Regions only), the service role's trust policy and S3 access, and the IAM permissions"
            + " bedrock:CreateModelImportJob, bedrock:GetModelImportJob and iam:PassRole";

    private final BedrockClient client;

    /** @param client a client built with {@code AwsClientFactory.configure(BedrockClient.builder())} */
    public BedrockModelImporter(BedrockClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public String startImport(ModelImportRequest request) {
        Objects.requireNonNull(request, "request");
        CreateModelImportJobResponse response;
        try {
            response = client.createModelImportJob(toRequest(request));
        } catch (SdkException e) {
            throw BedrockErrors.toModelCallException(e, "Bedrock", "Bedrock CreateModelImportJob call for import"
                    + " job '" + request.jobName() + "'", CLIENT_ERROR_HINT, "");
        }
        if (response.jobArn() == null) {
            throw new ModelCallException(Kind.MALFORMED_RESPONSE, 200, "Bedrock CreateModelImportJob for import job '"
                    + request.jobName() + "' returned no jobArn; list the import jobs to see whether it started");
        }
        LOG.info("started Bedrock model import job {} ({}), request id {}", request.jobName(), response.jobArn(),
                response.responseMetadata().requestId());
        return response.jobArn();
    }

    @Override
    public ModelImportStatus getImport(String jobArn) {
        AwsConstraints.requireImportJobArn(jobArn);
        GetModelImportJobResponse response;
        try {
            response = client.getModelImportJob(request -> request.jobIdentifier(jobArn));
        } catch (SdkException e) {
            throw BedrockErrors.toModelCallException(e, "Bedrock", "Bedrock GetModelImportJob call for import job "
                    + jobArn, CLIENT_ERROR_HINT, "");
        }
        return toStatus(jobArn, response);
    }

    /** Builds the SDK request; its JSON body equals {@link RequestDocuments#createModelImportJob}. */
    static CreateModelImportJobRequest toRequest(ModelImportRequest request) {
        CreateModelImportJobRequest.Builder builder = CreateModelImportJobRequest.builder()
                .jobName(request.jobName())
                .importedModelName(request.importedModelName())
                .roleArn(request.roleArn())
                .modelDataSource(ModelDataSource.fromS3DataSource(S3DataSource.builder()
                        .s3Uri(request.modelDataUri())
                        .build()))
                .clientRequestToken(request.clientRequestToken())
                .importedModelKmsKeyId(request.kmsKeyId());
        // An empty list set on the builder is sent as [], so tags are set only when there are some.
        if (!request.tags().isEmpty()) {
            List<Tag> tags = toTags(request.tags());
            builder.jobTags(tags).importedModelTags(tags);
        }
        return builder.build();
    }

    static ModelImportStatus toStatus(String jobArn, GetModelImportJobResponse response) {
        ModelImportState state;
        try {
            state = ModelImportState.fromApiValue(Objects.requireNonNullElse(response.statusAsString(), "(none)"));
        } catch (IllegalArgumentException e) {
            throw new ModelCallException(Kind.MALFORMED_RESPONSE, 200, "Bedrock GetModelImportJob for import job "
                    + jobArn + " returned " + e.getMessage() + "; update the import adapter for the new status", e);
        }
        String arn = response.jobArn() == null ? jobArn : response.jobArn();
        return new ModelImportStatus(arn, response.jobName(), state, response.failureMessage(),
                response.importedModelArn(), response.endTime(), null);
    }

    private static List<Tag> toTags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build())
                .toList();
    }
}
