package dev.tuneladder.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelImportRequestTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/tuneladder-import";
    private static final String URI = "s3://tl-data/runs/run1/merged/";

    @Test
    void constructor_validRequest_keepsTagsSorted() {
        ModelImportRequest request = new ModelImportRequest("tl-import-run1", "tl-planner-run1", ROLE, URI,
                "alias/tuneladder", Map.of("team", "ml", "cost-center", "42"), "run1");

        assertThat(request.tags().keySet()).containsExactly("cost-center", "team");
    }

    @Test
    void constructor_invalidFields_rejectedByName() {
        assertThatThrownBy(() -> new ModelImportRequest("tl_import", "m", ROLE, URI, null, Map.of(), "t"))
                .hasMessageContaining("import job name 'tl_import'");
        assertThatThrownBy(() -> new ModelImportRequest("j", "m.v1", ROLE, URI, null, Map.of(), "t"))
                .hasMessageContaining("imported model name 'm.v1'");
        assertThatThrownBy(() -> new ModelImportRequest("j", "m", "role", URI, null, Map.of(), "t"))
                .hasMessageContaining("roleArn 'role'");
        assertThatThrownBy(() -> new ModelImportRequest("j", "m", ROLE, "/tmp/merged", null, Map.of(), "t"))
                .hasMessageContaining("modelDataUri '/tmp/merged' is not an S3 URI");
        assertThatThrownBy(() -> new ModelImportRequest("j", "m", ROLE, URI, "key", Map.of(), "t"))
                .hasMessageContaining("kmsKeyId 'key'");
        assertThatThrownBy(() -> new ModelImportRequest("j", "m", ROLE, URI, null, Map.of(), "run_1"))
                .hasMessageContaining("clientRequestToken 'run_1'");
        assertThatThrownBy(() -> new ModelImportRequest("j", "m", ROLE, URI, null, Map.of(), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("clientRequestToken");
    }
}
