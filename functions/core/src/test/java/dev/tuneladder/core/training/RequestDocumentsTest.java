package dev.tuneladder.core.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestDocumentsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void createTrainingJob_allFields_matchDocumentedShape() throws Exception {
        LoraTrainingSpec spec = TrainingSpecs.spec()
                .validationDataUri("s3://tl-data/runs/run1/validation/")
                .outputKmsKeyId("alias/tuneladder")
                .loraRank(16)
                .tags(Map.of("project", "tuneladder"))
                .build();

        JsonNode expected = MAPPER.readTree("""
                {"TrainingJobName": "tl-lora-run1",
                 "RoleArn": "arn:aws:iam::123456789012:role/tuneladder-training",
                 "AlgorithmSpecification": {"TrainingImage": "%s", "TrainingInputMode": "File"},
                 "HyperParameters": {"base_model": "meta-llama/Llama-3.1-8B-Instruct", "epoch": "5",
                   "learning_rate": "0.0001", "lora_alpha": "32", "lora_dropout": "0.05", "lora_r": "16",
                   "max_input_length": "1024", "per_device_train_batch_size": "4",
                   "target_modules": "q_proj,k_proj,v_proj,o_proj"},
                 "InputDataConfig": [
                   {"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                     "S3Uri": "s3://tl-data/runs/run1/train/", "S3DataDistributionType": "FullyReplicated"}}},
                   {"ChannelName": "validation", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix",
                     "S3Uri": "s3://tl-data/runs/run1/validation/", "S3DataDistributionType": "FullyReplicated"}}}],
                 "OutputDataConfig": {"KmsKeyId": "alias/tuneladder", "S3OutputPath": "s3://tl-data/runs/run1/training/",
                   "CompressionType": "NONE"},
                 "ResourceConfig": {"InstanceType": "ml.g5.12xlarge", "InstanceCount": 1, "VolumeSizeInGB": 100},
                 "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
                 "Tags": [{"Key": "project", "Value": "tuneladder"}]}
                """.formatted(TrainingSpecs.IMAGE));

        assertThat(RequestDocuments.createTrainingJob(spec)).isEqualTo(expected);
    }

    @Test
    void createTrainingJob_minimal_omitsOptional() {
        JsonNode request = RequestDocuments.createTrainingJob(TrainingSpecs.spec().build());

        assertThat(request.has("Tags")).isFalse();
        assertThat(request.get("OutputDataConfig").has("KmsKeyId")).isFalse();
        assertThat(request.get("InputDataConfig")).hasSize(1);
    }

    @Test
    void uncompressedModelUri_isJobOutputModelFolder() {
        LoraTrainingSpec spec = TrainingSpecs.spec().build();
        LoraTrainingSpec withoutSlash = TrainingSpecs.spec().outputUri("s3://tl-data/runs/run1/training").build();

        assertThat(RequestDocuments.uncompressedModelUri(spec))
                .isEqualTo("s3://tl-data/runs/run1/training/tl-lora-run1/output/model/");
        assertThat(RequestDocuments.uncompressedModelUri(withoutSlash))
                .isEqualTo("s3://tl-data/runs/run1/training/tl-lora-run1/output/model/");
    }

    @Test
    void createModelImportJob_allFields_matchShape() throws Exception {
        ModelImportRequest request = new ModelImportRequest("tl-import-run1", "tl-planner-run1",
                "arn:aws:iam::123456789012:role/tuneladder-import", "s3://tl-data/runs/run1/merged/",
                "alias/tuneladder", Map.of("project", "tuneladder"), "run1-import");

        JsonNode expected = MAPPER.readTree("""
                {"jobName": "tl-import-run1", "importedModelName": "tl-planner-run1",
                 "roleArn": "arn:aws:iam::123456789012:role/tuneladder-import",
                 "modelDataSource": {"s3DataSource": {"s3Uri": "s3://tl-data/runs/run1/merged/"}},
                 "jobTags": [{"key": "project", "value": "tuneladder"}],
                 "importedModelTags": [{"key": "project", "value": "tuneladder"}],
                 "clientRequestToken": "run1-import", "importedModelKmsKeyId": "alias/tuneladder"}
                """);

        assertThat(RequestDocuments.createModelImportJob(request)).isEqualTo(expected);
    }

    @Test
    void createModelImportJob_minimal_omitsOptional() {
        JsonNode request = RequestDocuments.createModelImportJob(TrainingSpecs.importRequest());

        assertThat(request.has("jobTags")).isFalse();
        assertThat(request.has("importedModelTags")).isFalse();
        assertThat(request.has("importedModelKmsKeyId")).isFalse();
        assertThat(request.get("clientRequestToken").asText()).isEqualTo("run1-import");
    }
}
