package dev.tuneladder.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsConstraintsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "tl-import-1", "tl--import", "Tl.import+v2", "a-.b", "run-1.0"})
    void importJobName_valid_accepted(String name) {
        assertThat(AwsConstraints.requireImportJobName(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-tl", ".tl", "tl_import", "tl import"})
    void importJobName_invalid_rejected(String name) {
        assertThatThrownBy(() -> AwsConstraints.requireImportJobName(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("import job name '" + name + "' is invalid");
    }

    @Test
    void importJobName_sixtyFourCharacters_rejected() {
        assertThat(AwsConstraints.requireImportJobName("a".repeat(63))).hasSize(63);
        assertThatThrownBy(() -> AwsConstraints.requireImportJobName("a".repeat(64)))
                .hasMessageContaining("1 to 63");
    }

    @ParameterizedTest
    @ValueSource(strings = {"m", "tl_planner-v2", "TL1", "a_b_c"})
    void importedModelName_valid_accepted(String name) {
        assertThat(AwsConstraints.requireImportedModelName(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "_tl", "tl__planner", "tl-_planner", "tl.planner", "tl planner"})
    void importedModelName_invalid_rejected(String name) {
        assertThatThrownBy(() -> AwsConstraints.requireImportedModelName(name))
                .hasMessageContaining("imported model name '" + name + "' is invalid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "run-1", "A1-b2-C3"})
    void clientRequestToken_valid_accepted(String token) {
        assertThat(AwsConstraints.requireClientRequestToken(token)).isEqualTo(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "run_1", "run.1"})
    void clientRequestToken_invalid_rejected(String token) {
        assertThatThrownBy(() -> AwsConstraints.requireClientRequestToken(token))
                .hasMessageContaining("clientRequestToken '" + token + "' is invalid");
    }

    @Test
    void clientRequestToken_over256Characters_rejected() {
        assertThat(AwsConstraints.requireClientRequestToken("a".repeat(256))).hasSize(256);
        assertThatThrownBy(() -> AwsConstraints.requireClientRequestToken("a".repeat(257)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab",
            "arn:aws:kms:us-east-1:123456789012:alias/tuneladder", "0123abcd-0123-4567-89ab-0123456789ab",
            "alias/tuneladder"})
    void kmsKeyId_valid_accepted(String keyId) {
        assertThat(AwsConstraints.requireKmsKeyId("kmsKeyId", keyId)).isEqualTo(keyId);
    }

    @Test
    void kmsKeyId_bareName_rejected() {
        assertThatThrownBy(() -> AwsConstraints.requireKmsKeyId("kmsKeyId", "tuneladder"))
                .hasMessageContaining("kmsKeyId 'tuneladder' is not a KMS key");
    }

    @Test
    void importJobArn_documentedShape_accepted() {
        String arn = "arn:aws:bedrock:us-east-1:123456789012:model-import-job/abcd1234efgh";

        assertThat(AwsConstraints.requireImportJobArn(arn)).isEqualTo(arn);
        assertThatThrownBy(() -> AwsConstraints.requireImportJobArn("tl-import-run1"))
                .hasMessageContaining("jobArn 'tl-import-run1' is not a model import job ARN");
    }

    @Test
    void roleArn_govCloudPartition_accepted() {
        String arn = "arn:aws-us-gov:iam::123456789012:role/path/tuneladder";

        assertThat(AwsConstraints.requireRoleArn("roleArn", arn)).isEqualTo(arn);
    }
}
