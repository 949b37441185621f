package dev.tuneladder.core.training;

/**
 * Imports merged model weights as a servable model: Bedrock Custom Model Import in AWS, a dry run with an artifact
 * preflight locally.
 *
 * <p>Each method makes one attempt. A failed service call throws
 * {@link dev.tuneladder.core.model.ModelCallException}. Its kind decides whether a retry layer makes another
 * attempt. An invalid job ARN throws {@link IllegalArgumentException} before any call.
 */
public interface ModelImporter {

    /** Starts an import job and returns its ARN. */
    String startImport(ModelImportRequest request);

    /** Returns the current status of the import job {@code jobArn}. */
    ModelImportStatus getImport(String jobArn);
}
