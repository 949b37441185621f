package dev.tuneladder.core.training;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Input rules of the SageMaker and Bedrock APIs that the training and import requests must meet, checked before a
 * request is sent so that a bad value fails with the field's name instead of a service ValidationException.
 *
 * <p>Sources: the SageMaker API reference (CreateTrainingJob, Tag, StoppingCondition) and the Bedrock API reference
 * (CreateModelImportJob, ModelImportJobSummary).
 */
public final class AwsConstraints {

    /** SageMaker TrainingJobName: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit. */
    public static final Pattern TRAINING_JOB_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

    /** Bedrock CreateModelImportJob jobName (1 to 63 characters); '+' and '.' are allowed after the first one. */
    public static final Pattern IMPORT_JOB_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9+\\-.])*");

    /** Bedrock CreateModelImportJob importedModelName (1 to 63 characters); no two '_' or '-' in a row. */
    public static final Pattern IMPORTED_MODEL_NAME = Pattern.compile("([0-9a-zA-Z][_-]?)+");

    /** Bedrock clientRequestToken: 1 to 256 letters, digits and hyphens, starting and ending with a letter or digit. */
    public static final Pattern CLIENT_REQUEST_TOKEN = Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]{0,254}[a-zA-Z0-9])?");

    /** An IAM role ARN as SageMaker's RoleArn pattern states it (20 to 2048 characters). */
    public static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z\\-]*:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-/]+");

    /** Bedrock importedModelKmsKeyId: a key ARN, alias ARN, key id or alias name. */
    public static final Pattern KMS_KEY_ID = Pattern.compile("(arn:aws(-[^:]+)?:kms:[a-zA-Z0-9-]*:[0-9]{12}:"
            + "((key/[a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)))|([a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)");

    /** A model import job ARN as the Bedrock ModelImportJobSummary documents it. */
    public static final Pattern IMPORT_JOB_ARN = Pattern.compile(
            "arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-import-job/[a-z0-9]{12}");

    /**
     * An S3 URI with a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with
     * a letter or digit (the S3 bucket naming rules), and an optional key or prefix.
     */
    public static final Pattern S3_URI = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/\\S*)?");

    /** SageMaker's limit on MaxRuntimeInSeconds: 28 days. */
    public static final int MAX_RUNTIME_SECONDS = 28 * 24 * 3600;

    /** The maximum number of tags in a SageMaker CreateTrainingJob request. */
    public static final int MAX_TRAINING_TAGS = 50;

    /** The maximum number of tags in a Bedrock CreateModelImportJob request, for the job and for the model each. */
    public static final int MAX_IMPORT_TAGS = 200;

    private static final int MAX_NAME_CHARS = 63;
    private static final int MAX_ROLE_ARN_CHARS = 2048;
    private static final int MAX_KMS_KEY_ID_CHARS = 2048;
    private static final int MAX_S3_URI_CHARS = 1024;
    private static final int MAX_TAG_KEY_CHARS = 128;
    private static final int MAX_TAG_VALUE_CHARS = 256;

    private AwsConstraints() {
    }

    /** Returns {@code name} when it is a valid SageMaker TrainingJobName. */
    public static String requireTrainingJobName(String name) {
        return requireName("training job name", name, TRAINING_JOB_NAME,
                "use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit");
    }

    /** Returns {@code name} when it is a valid Bedrock model import jobName. */
    public static String requireImportJobName(String name) {
        return requireName("import job name", name, IMPORT_JOB_NAME,
                "use 1 to 63 letters, digits, hyphens, '+' and '.', starting with a letter or digit");
    }

    /** Returns {@code name} when it is a valid Bedrock importedModelName. */
    public static String requireImportedModelName(String name) {
        return requireName("imported model name", name, IMPORTED_MODEL_NAME,
                "use 1 to 63 letters and digits, each optionally followed by one '_' or '-'");
    }

    /** Returns {@code token} when it is a valid Bedrock clientRequestToken. */
    public static String requireClientRequestToken(String token) {
        Objects.requireNonNull(token, "clientRequestToken");
        if (!CLIENT_REQUEST_TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("clientRequestToken '" + token + "' is invalid: use 1 to 256 letters,"
                    + " digits and hyphens, starting and ending with a letter or digit, such as the run id");
        }
        return token;
    }

    /** Returns {@code arn} when it is an IAM role ARN that SageMaker and Bedrock accept. */
    public static String requireRoleArn(String field, String arn) {
        Objects.requireNonNull(arn, field);
        if (arn.length() < 20 || arn.length() > MAX_ROLE_ARN_CHARS || !ROLE_ARN.matcher(arn).matches()) {
            throw new IllegalArgumentException(field + " '" + arn + "' is not an IAM role ARN: give one such as"
                    + " arn:aws:iam::123456789012:role/tuneladder-training");
        }
        return arn;
    }

    /** Returns {@code uri} when it is an S3 URI such as {@code s3://bucket/prefix/}. */
    public static String requireS3Uri(String field, String uri) {
        Objects.requireNonNull(uri, field);
        if (uri.length() > MAX_S3_URI_CHARS || !S3_URI.matcher(uri).matches()) {
            throw new IllegalArgumentException(field + " '" + uri + "' is not an S3 URI: give s3://bucket/prefix/"
                    + " with a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens");
        }
        return uri;
    }

    /** Returns {@code keyId} when Bedrock accepts it as importedModelKmsKeyId. */
    public static String requireKmsKeyId(String field, String keyId) {
        Objects.requireNonNull(keyId, field);
        if (keyId.length() > MAX_KMS_KEY_ID_CHARS || !KMS_KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException(field + " '" + keyId + "' is not a KMS key: give a key ARN, an alias"
                    + " ARN, a key id or alias/name");
        }
        return keyId;
    }

    /** Returns {@code arn} when it is a Bedrock model import job ARN. */
    public static String requireImportJobArn(String arn) {
        Objects.requireNonNull(arn, "jobArn");
        if (!IMPORT_JOB_ARN.matcher(arn).matches()) {
            throw new IllegalArgumentException("jobArn '" + arn + "' is not a model import job ARN: give the ARN"
                    + " that startImport returned, such as"
                    + " arn:aws:bedrock:us-east-1:123456789012:model-import-job/abcd1234efgh");
        }
        return arn;
    }

    /**
     * Returns an unmodifiable copy of {@code tags}, sorted by key, when it has at most {@code maxTags} entries, keys of 1 to 128
     * characters that do not start with the reserved {@code aws:} prefix, and values of at most 256 characters.
     */
    public static Map<String, String> requireTags(String field, Map<String, String> tags, int maxTags) {
        Objects.requireNonNull(tags, field);
        if (tags.size() > maxTags) {
            throw new IllegalArgumentException(field + " has " + tags.size() + " tags, more than the " + maxTags
                    + " the API accepts: drop some");
        }
        tags.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > MAX_TAG_KEY_CHARS) {
                throw new IllegalArgumentException(field + " key '" + key + "' must have 1 to " + MAX_TAG_KEY_CHARS
                        + " characters");
            }
            if (key.startsWith("aws:")) {
                throw new IllegalArgumentException(field + " key '" + key + "' starts with 'aws:', a prefix AWS"
                        + " reserves: rename it");
            }
            if (value == null || value.length() > MAX_TAG_VALUE_CHARS) {
                throw new IllegalArgumentException(field + " '" + key + "' needs a value of 0 to "
                        + MAX_TAG_VALUE_CHARS + " characters, got " + (value == null ? "null" : value.length()));
            }
        });
        return Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    private static String requireName(String field, String name, Pattern pattern, String rule) {
        Objects.requireNonNull(name, field);
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS || !pattern.matcher(name).matches()) {
            throw new IllegalArgumentException(field + " '" + name + "' is invalid: " + rule);
        }
        return name;
    }
}
