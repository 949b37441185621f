package dev.tuneladder.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * The training script's source archive: {@value #SCRIPT_FOLDER}'s {@link #FILES} at the root of a
 * {@value #ARCHIVE_NAME}, published as a file asset in the CDK bootstrap bucket. The fine-tuning state machine
 * passes its S3 URL as the {@code sagemaker_submit_directory} hyperparameter; the SageMaker training toolkit in the
 * Hugging Face training image downloads that object, extracts it as a gzip-compressed tar into its code folder and
 * installs {@code requirements.txt} before it runs the entry point. A directory asset would be a zip, which the
 * toolkit does not extract.
 *
 * <p>The archive is built at synth time by {@link SourceArchive}, so the asset hash, and with it the object key,
 * changes only when a script file changes.
 */
final class TrainingSource extends Construct {

    /** Folder of the training script, relative to the repository root. */
    static final String SCRIPT_FOLDER = "training/lora";
    /** The files the archive contains, at its root. */
    static final List<String> FILES = List.of("requirements.txt", "train.py");
    /** Folder the archive is written to before the CDK stages it, relative to the repository root. */
    static final String ARCHIVE_FOLDER = "cdk/target/training-source";
    static final String ARCHIVE_NAME = "sourcedir.tar.gz";

    final Asset asset;

    TrainingSource(Construct scope, String id, Path repositoryRoot) {
        super(scope, id);
        Path archive = write(repositoryRoot.resolve(SCRIPT_FOLDER), repositoryRoot.resolve(ARCHIVE_FOLDER));
        asset = Asset.Builder.create(this, "Archive").path(archive.toString()).build();
    }

    /** Returns the archive's {@code s3://bucket/key} URL, a token until deployment. */
    String s3Url() {
        return asset.getS3ObjectUrl();
    }

    /**
     * Grants {@code s3:GetObject} on the archive's object alone. The bootstrap bucket's encryption needs no KMS
     * grant: the key that {@code cdk bootstrap} creates lets every principal of the account decrypt through S3
     * (bootstrap-template.yaml of aws-cdk 2.1149.0), and the AWS managed S3 key does the same.
     */
    // NOTE: a bootstrap given an existing key of your own (FileAssetsBucketKmsKeyId) must let this role decrypt.
    void grantRead(IGrantable grantee) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:GetObject"))
                .resources(List.of(asset.getBucket().arnForObjects(asset.getS3ObjectKey())))
                .build());
    }

    /**
     * Writes the archive of {@code scriptFolder}'s {@link #FILES} into {@code archiveFolder}, replacing it atomically
     * so that a synth running at the same time never stages a partly written file.
     *
     * @return the archive's path
     */
    static Path write(Path scriptFolder, Path archiveFolder) {
        SortedMap<String, byte[]> files = new TreeMap<>();
        for (String name : FILES) {
            Path file = scriptFolder.resolve(name);
            try {
                files.put(name, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the training script file " + file.toAbsolutePath()
                        + "; run the CDK app from cdk/ in a full checkout, or set the context value"
                        + " repositoryRoot", e);
            }
        }

        Path archive = archiveFolder.resolve(ARCHIVE_NAME);
        try {
            Files.createDirectories(archiveFolder);
            Path partial = Files.createTempFile(archiveFolder, ARCHIVE_NAME, ".partial");
            Files.write(partial, SourceArchive.tarGz(files));
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training source archive " + archive.toAbsolutePath()
                    + "; check that the folder is writable", e);
        }
        return archive;
    }
}
