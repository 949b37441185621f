package dev.tuneladder.core.training;

import java.util.Objects;

/**
 * One file of a merged model folder.
 *
 * @param name the path relative to the folder or S3 prefix, '/'-separated, such as {@code config.json}
 * @param sizeBytes the file's length in bytes
 */
public record ArtifactFile(String name, long sizeBytes) {

    public ArtifactFile {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.startsWith("/")) {
            throw new IllegalArgumentException("artifact file name '" + name + "' must be a non-empty path relative"
                    + " to the model folder");
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("size of artifact file '" + name + "' must be 0 or more, got "
                    + sizeBytes);
        }
    }

    /** Returns whether the file sits at the top of the folder, where Custom Model Import looks for it. */
    public boolean topLevel() {
        return name.indexOf('/') < 0;
    }

    /** Returns the last path segment, such as {@code config.json} for {@code sub/config.json}. */
    public String fileName() {
        return name.substring(name.lastIndexOf('/') + 1);
    }
}
