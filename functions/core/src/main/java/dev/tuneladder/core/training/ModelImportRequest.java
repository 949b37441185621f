package dev.tuneladder.core.training;

import java.util.Map;

/**
 * A request to import merged model weights into Bedrock Custom Model Import.
 *
 * @param jobName the import job's name
 * @param importedModelName the name the imported model gets
 * @param roleArn the service role Bedrock assumes to read the weights; it must trust {@code bedrock.amazonaws.com}
 *     and may read the weights' bucket
 * @param modelDataUri the S3 prefix holding the merged weights, config and tokenizer files
 * @param kmsKeyId the KMS key that encrypts the imported model, or null for an AWS-owned key
 * @param tags tags for both the import job and the imported model
 * @param clientRequestToken the idempotency token: a repeated request with the same token starts no second job.
 *     Required, because the SDK would otherwise make up a random one and a retried call would start a second job.
 */
public record ModelImportRequest(
        String jobName,
        String importedModelName,
        String roleArn,
        String modelDataUri,
        String kmsKeyId,
        Map<String, String> tags,
        String clientRequestToken) {

    public ModelImportRequest {
        AwsConstraints.requireImportJobName(jobName);
        AwsConstraints.requireImportedModelName(importedModelName);
        AwsConstraints.requireRoleArn("roleArn", roleArn);
        AwsConstraints.requireS3Uri("modelDataUri", modelDataUri);
        if (kmsKeyId != null) {
            AwsConstraints.requireKmsKeyId("kmsKeyId", kmsKeyId);
        }
        tags = AwsConstraints.requireTags("tags", tags, AwsConstraints.MAX_IMPORT_TAGS);
        AwsConstraints.requireClientRequestToken(clientRequestToken);
    }
}
