package dev.tuneladder.local.training;

import dev.tuneladder.core.storage.BlobStore;
import dev.tuneladder.core.training.AwsConstraints;
import dev.tuneladder.local.LocalFolderBlobStore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A local folder that replaces S3 in dry runs: {@code s3://bucket/key} is the file {@code <folder>/bucket/key},
 * the layout {@code aws s3 sync s3://bucket <folder>/bucket} produces.
 */
final class S3Mirror {

    private final Path folder;
    private final BlobStore store;

    S3Mirror(Path folder) {
        this.folder = Objects.requireNonNull(folder, "folder").toAbsolutePath().normalize();
        this.store = new LocalFolderBlobStore(this.folder);
    }

    BlobStore store() {
        return store;
    }

    Path folder() {
        return folder;
    }

    /** Returns the store key prefix of an S3 URI: {@code s3://bucket/a/b/} becomes {@code bucket/a/b/}. */
    String keyPrefix(String s3Uri) {
        AwsConstraints.requireS3Uri("s3Uri", s3Uri);
        String path = s3Uri.substring("s3://".length());
        return path.contains("/") ? path : path + "/";
    }

    /** Returns the key prefix of an S3 URI that names a folder, with a trailing '/' added when missing. */
    String folderPrefix(String s3Uri) {
        String prefix = keyPrefix(s3Uri);
        return prefix.endsWith("/") ? prefix : prefix + "/";
    }
}
