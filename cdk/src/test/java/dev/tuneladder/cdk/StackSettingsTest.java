package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StackSettingsTest {

    @Test
    void cdkJsonMatchesDefaults() {
        Map<String, Object> context = TestStacks.cdkJsonContext();

        assertThat(StackSettings.fromContext(context::get)).isEqualTo(StackSettings.defaults());
    }

    @Test
    void cdkJsonListsEveryKey() {
        Map<String, Object> context = TestStacks.cdkJsonContext();

        List<String> optionalWithoutDefault = List.of(StackSettings.TRAINING_IMAGE_URI,
                StackSettings.BASE_MODEL_S3_PREFIX, StackSettings.ALARM_EMAIL);
        for (String key : StackSettings.KEYS) {
            if (!optionalWithoutDefault.contains(key)) {
                assertThat(context).as("cdk.json context key %s", key).containsKey(key);
            }
        }
    }

    @Test
    void commandLineStringsAreParsed() {
        Map<String, Object> context = Map.of(
                StackSettings.EVALUATION_MODEL_IDS, "us.amazon.nova-pro-v1:0, amazon.nova-lite-v1:0",
                StackSettings.EMBEDDING_DIMENSIONS, "512",
                StackSettings.TRAINING_INSTANCE_TYPES, "ml.g5.2xlarge, ml.g6.12xlarge",
                StackSettings.FEWSHOT_INDEXES, "banking77-golden,support",
                StackSettings.VECTOR_INDEX, "domain",
                StackSettings.API_GATEWAY_CLOUDWATCH_ROLE, "false",
                StackSettings.ALARM_EMAIL, "oncall@example.com");

        StackSettings settings = StackSettings.fromContext(context::get);

        assertThat(settings.evaluationModelIds()).containsExactly("us.amazon.nova-pro-v1:0", "amazon.nova-lite-v1:0");
        assertThat(settings.embeddingDimensions()).isEqualTo(512);
        assertThat(settings.trainingInstanceTypes()).containsExactly("ml.g5.2xlarge", "ml.g6.12xlarge");
        assertThat(settings.fewShotIndexes()).containsExactly("banking77-golden", "support");
        assertThat(settings.vectorIndex()).isEqualTo(StackSettings.VectorIndexKind.DOMAIN);
        assertThat(settings.apiGatewayCloudWatchRole()).isFalse();
        assertThat(settings.alarmEmail()).isEqualTo("oncall@example.com");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "judgeModelId|Claude Haiku|a Bedrock model id",
        "evaluationModelIds|Nova Lite|Bedrock model ids or inference profile ids",
        "evaluationModelIds|arn:aws:bedrock:us-east-1:123456789012:imported-model/abc|Bedrock model ids",
        "embeddingDimensions|768|256, 512 or 1024",
        "embeddingDimensions|1024.5|a whole number",
        "trainingInstanceTypes|g5.12xlarge|SageMaker instance types",
        "trainingImageUri|huggingface-pytorch-training:latest|an ECR image URI",
        "baseModelS3Prefix|s3://example-models/llama|an S3 folder",
        "baseModelS3Prefix|s3://example-models/|an S3 folder",
        "baseModelS3Prefix|s3://example-models/llama/*/|no '*' or '?'",
        "baseModelS3Prefix|example-models/llama/|an S3 folder",
        "baseModelS3Prefix|s3://Example_Models/llama/|an S3 folder",
        "logRetentionDays|45|one of the CloudWatch Logs retention periods",
        "runTransitionDays|10|30 to 36500 days",
        "noncurrentVersionDays|0|1 to 36500 days",
        "vectorIndex|opensearch|serverless (an OpenSearch Serverless vector collection) or domain",
        "domainInstanceType|t3.small|an OpenSearch Service instance type",
        "fewShotIndexes|Golden|lowercase index names",
        "apiRateLimit|0|1 to 10000 requests per second",
        "apiBurstLimit|10|at least apiRateLimit (50)",
        "alarmEmail|oncall|an email address",
        "apiGatewayCloudWatchRole|yes|true or false"
    })
    void invalidValueIsRejectedWithKeyAndFix(String key, String value, String accepted) {
        Map<String, Object> context = new HashMap<>();
        context.put(key, key.equals("embeddingDimensions") && value.contains(".") ? Double.valueOf(value) : value);

        assertThatThrownBy(() -> StackSettings.fromContext(context::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("CDK context value " + key + "='" + value + "' is invalid")
                .hasMessageContaining(accepted)
                .hasMessageContaining("-c " + key + "=");
    }

    @Test
    void baseModelPrefixSplitsBucketAndKey() {
        Map<String, Object> context = Map.of(StackSettings.BASE_MODEL_S3_PREFIX,
                "s3://example-models/meta/llama-3.1-8b-instruct/");

        StackSettings settings = StackSettings.fromContext(context::get);

        assertThat(settings.baseModelBucket()).isEqualTo("example-models");
        assertThat(settings.baseModelKeyPrefix()).isEqualTo("meta/llama-3.1-8b-instruct/");
    }

    @Test
    void baseModelPrefixDefaultsToNone() {
        StackSettings settings = StackSettings.defaults();

        assertThat(settings.baseModelS3Prefix()).isNull();
        assertThat(settings.baseModelBucket()).isNull();
        assertThat(settings.baseModelKeyPrefix()).isNull();
    }

    @Test
    void emptyIndexListIsRejected() {
        Map<String, Object> context = Map.of(StackSettings.FEWSHOT_INDEXES, " , ");

        assertThatThrownBy(() -> StackSettings.fromContext(context::get))
                .hasMessageContaining("fewShotIndexes")
                .hasMessageContaining("one or more index names");
    }

    @Test
    void evaluationModelIdsDefaultToNone() {
        assertThat(StackSettings.defaults().evaluationModelIds()).isEmpty();
    }

    @Test
    void evaluationModelIdsReadJsonArray() {
        Map<String, Object> context = Map.of(StackSettings.EVALUATION_MODEL_IDS,
                List.of("amazon.nova-lite-v1:0", " us.anthropic.claude-3-5-haiku-20241022-v1:0 ",
                        "amazon.nova-lite-v1:0"));

        StackSettings settings = StackSettings.fromContext(context::get);

        assertThat(settings.evaluationModelIds()).containsExactly("amazon.nova-lite-v1:0",
                "us.anthropic.claude-3-5-haiku-20241022-v1:0");
    }

    @Test
    void evaluationModelIdsRejectNonStringItem() {
        Map<String, Object> context = Map.of(StackSettings.EVALUATION_MODEL_IDS, List.of("amazon.nova-lite-v1:0", 7));

        assertThatThrownBy(() -> StackSettings.fromContext(context::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("evaluationModelIds")
                .hasMessageContaining("strings");
    }
}
