package dev.tuneladder.core.training;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * Renders the JSON bodies of the SageMaker CreateTrainingJob and Bedrock CreateModelImportJob requests, field for
 * field as the AWS SDK sends them, so that a dry run records exactly what the AWS adapters would send.
 *
 * <p>Fields with no value are left out, as the SDK leaves them out: no {@code KmsKeyId} without a key, no
 * {@code Tags} without tags, no {@code validation} channel without validation data.
 */
public final class RequestDocuments {

    /** Every channel copies its S3 prefix to the instance before training starts. */
    public static final String TRAINING_INPUT_MODE = "File";

    /** The channel URIs are prefixes: every object under them is input. */
    public static final String S3_DATA_TYPE = "S3Prefix";

    /** Every instance gets the whole channel; the training script shards the data itself when it needs to. */
    public static final String S3_DATA_DISTRIBUTION = "FullyReplicated";

    /**
     * SageMaker uploads {@code /opt/ml/model} file by file instead of as {@code model.tar.gz}, so the merged weights
     * that the training script saves there can be imported by Bedrock without an unpacking step.
     */
    public static final String OUTPUT_COMPRESSION = "NONE";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RequestDocuments() {
    }

    /** Returns the CreateTrainingJob request body (SageMaker's JSON 1.1 protocol, PascalCase fields). */
    public static ObjectNode createTrainingJob(LoraTrainingSpec spec) {
        Objects.requireNonNull(spec, "spec");
        ObjectNode request = NODES.objectNode();
        request.put("TrainingJobName", spec.jobName());
        request.put("RoleArn", spec.roleArn());

        ObjectNode algorithm = request.putObject("AlgorithmSpecification");
        algorithm.put("TrainingImage", spec.trainingImageUri());
        algorithm.put("TrainingInputMode", TRAINING_INPUT_MODE);

        ObjectNode hyperParameters = request.putObject("HyperParameters");
        spec.hyperParameters().forEach(hyperParameters::put);

        ArrayNode channels = request.putArray("InputDataConfig");
        spec.channels().forEach((name, uri) -> {
            ObjectNode channel = channels.addObject();
            channel.put("ChannelName", name);
            ObjectNode s3 = channel.putObject("DataSource").putObject("S3DataSource");
            s3.put("S3DataType", S3_DATA_TYPE);
            s3.put("S3Uri", uri);
            s3.put("S3DataDistributionType", S3_DATA_DISTRIBUTION);
        });

        ObjectNode output = request.putObject("OutputDataConfig");
        if (spec.outputKmsKeyId() != null) {
            output.put("KmsKeyId", spec.outputKmsKeyId());
        }
        output.put("S3OutputPath", spec.outputUri());
        output.put("CompressionType", OUTPUT_COMPRESSION);

        ObjectNode resources = request.putObject("ResourceConfig");
        resources.put("InstanceType", spec.instanceType());
        resources.put("InstanceCount", spec.instanceCount());
        resources.put("VolumeSizeInGB", spec.volumeSizeInGb());

        request.putObject("StoppingCondition").put("MaxRuntimeInSeconds", spec.maxRuntimeSeconds());
        if (!spec.tags().isEmpty()) {
            request.set("Tags", tagArray(spec.tags(), "Key", "Value"));
        }
        return request;
    }

    /**
     * Returns the S3 prefix, ending in '/', under which an uncompressed training job's {@code /opt/ml/model} lands:
     * {@code {S3OutputPath}/{TrainingJobName}/output/model/}.
     *
     * <p>NOTE: the layout is SageMaker's {@code model.tar.gz} location with the archive replaced by a folder, as the
     * SageMaker Python SDK reads it for {@code disable_output_compression}. The API reference documents
     * S3ModelArtifacts only for compressed output, so the artifacts preflight is what confirms the layout on a real
     * job.
     */
    public static String uncompressedModelUri(LoraTrainingSpec spec) {
        Objects.requireNonNull(spec, "spec");
        String output = spec.outputUri().endsWith("/") ? spec.outputUri() : spec.outputUri() + "/";
        return output + spec.jobName() + "/output/model/";
    }

    /** Returns the CreateModelImportJob request body (Bedrock's REST JSON protocol, camelCase fields). */
    public static ObjectNode createModelImportJob(ModelImportRequest importRequest) {
        Objects.requireNonNull(importRequest, "importRequest");
        ObjectNode request = NODES.objectNode();
        request.put("jobName", importRequest.jobName());
        request.put("importedModelName", importRequest.importedModelName());
        request.put("roleArn", importRequest.roleArn());
        request.putObject("modelDataSource").putObject("s3DataSource").put("s3Uri", importRequest.modelDataUri());
        if (!importRequest.tags().isEmpty()) {
            request.set("jobTags", tagArray(importRequest.tags(), "key", "value"));
            request.set("importedModelTags", tagArray(importRequest.tags(), "key", "value"));
        }
        request.put("clientRequestToken", importRequest.clientRequestToken());
        if (importRequest.kmsKeyId() != null) {
            request.put("importedModelKmsKeyId", importRequest.kmsKeyId());
        }
        return request;
    }

    private static ArrayNode tagArray(Map<String, String> tags, String keyField, String valueField) {
        ArrayNode array = NODES.arrayNode();
        tags.forEach((key, value) -> array.addObject().put(keyField, key).put(valueField, value));
        return array;
    }
}
