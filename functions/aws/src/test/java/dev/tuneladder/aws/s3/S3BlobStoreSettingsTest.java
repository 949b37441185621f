package dev.tuneladder.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class S3BlobStoreSettingsTest {

    @Test
    void forBucket_noOptions_usesDefaults() {
        S3BlobStoreSettings settings = S3BlobStoreSettings.forBucket("tuneladder-data");

        assertThat(settings.keyPrefix()).isEmpty();
        assertThat(settings.encryption()).isEqualTo(S3Encryption.bucketDefault());
        assertThat(settings.partSizeBytes()).isEqualTo(8 * 1024 * 1024);
        assertThat(settings.listPageSize()).isEqualTo(1000);
        assertThat(settings.maxObjectBytes()).isEqualTo(83_886_080_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "Upper-case", "-leading", "trailing-", "under_score",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void constructor_invalidBucket_namesBucketAndRule(String bucket) {
        assertThatThrownBy(() -> S3BlobStoreSettings.forBucket(bucket))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid bucket name '" + bucket + "'")
                .hasMessageContaining("3 to 63");
    }

    @Test
    void constructor_prefixWithoutTrailingSlash_suggestsFix() {
        assertThatThrownBy(() -> S3BlobStoreSettings.forBucket("b12").withKeyPrefix("tenant"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use 'tenant/'");
        assertThatThrownBy(() -> S3BlobStoreSettings.forBucket("b12").withKeyPrefix("/tenant/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starts with '/'");
        assertThat(S3BlobStoreSettings.forBucket("b12").withKeyPrefix("a/b/").keyPrefix()).isEqualTo("a/b/");
    }

    @Test
    void constructor_partSizeBelowS3Minimum_throws() {
        assertThatThrownBy(() -> S3BlobStoreSettings.forBucket("b12").withPartSizeBytes(5 * 1024 * 1024 - 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 5242880")
                .hasMessageContaining("got 5242879");
        assertThat(S3BlobStoreSettings.forBucket("b12").withPartSizeBytes(5 * 1024 * 1024).partSizeBytes())
                .isEqualTo(5 * 1024 * 1024);
    }

    @Test
    void constructor_listPageSizeOutOfRange_throws() {
        assertThatThrownBy(() -> S3BlobStoreSettings.forBucket("b12").withListPageSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 1000, got 0");
        assertThatThrownBy(() -> S3BlobStoreSettings.forBucket("b12").withListPageSize(1001))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 1001");
    }

    @Test
    void encryption_mismatchedKeyId_throws() {
        assertThatThrownBy(() -> S3Encryption.sseKms(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SSE-KMS needs a KMS key id");
        assertThatThrownBy(() -> new S3Encryption(S3Encryption.Mode.SSE_S3, "alias/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("S3Encryption.sseKms(\"alias/x\")");
        assertThat(S3Encryption.sseKms("alias/x").kmsKeyId()).isEqualTo("alias/x");
    }
}
