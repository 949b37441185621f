package dev.tuneladder.cdk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stack's configuration, read from CDK context ({@code cdk.json}, or {@code -c key=value} on the command line).
 * Every key is optional; {@link #fromContext} validates each value and names the key, the value and the accepted
 * range in its error.
 *
 * @param judgeModelId {@value #JUDGE_MODEL_ID}: Bedrock model id or cross-Region inference profile id of the judge
 * @param evaluationModelIds {@value #EVALUATION_MODEL_IDS}: Bedrock model ids or inference profile ids that
 *     evaluation runs may call as the candidate, in addition to the models that fine-tuning runs imported. Empty by
 *     default
 * @param embeddingModelId {@value #EMBEDDING_MODEL_ID}: Bedrock embedding model id (Titan Text Embeddings V2)
 * @param embeddingDimensions {@value #EMBEDDING_DIMENSIONS}: 256, 512 or 1024
 * @param trainingInstanceTypes {@value #TRAINING_INSTANCE_TYPES}: the SageMaker instance types a fine-tuning run may
 *     request; IAM rejects CreateTrainingJob for any other
 * @param trainingImageUri {@value #TRAINING_IMAGE_URI}: the training container image, or null for the Hugging Face
 *     PyTorch training image of the stack's Region
 * @param baseModelS3Prefix {@value #BASE_MODEL_S3_PREFIX}: {@code s3://bucket/prefix/} under which runs may keep base
 *     model weights (a run's {@code training.baseModel} given as an S3 URI), which the training role may then read;
 *     or null, so that runs can use only model hub ids
 * @param logRetentionDays {@value #LOG_RETENTION_DAYS}: retention of every log group, one of CloudWatch Logs' values
 * @param runTransitionDays {@value #RUN_TRANSITION_DAYS}: age at which objects under {@code runs/} move to S3
 *     Standard-IA, 30 or more
 * @param noncurrentVersionDays {@value #NONCURRENT_VERSION_DAYS}: days a replaced or deleted object version is kept
 * @param vectorIndex {@value #VECTOR_INDEX}: {@code serverless} or {@code domain}
 * @param domainInstanceType {@value #DOMAIN_INSTANCE_TYPE}: the data node type when {@code vectorIndex} is
 *     {@code domain}
 * @param fewShotIndexes {@value #FEWSHOT_INDEXES}: the few-shot index names the API serves
 * @param apiRateLimit {@value #API_RATE_LIMIT}: steady-state requests per second of the API stage
 * @param apiBurstLimit {@value #API_BURST_LIMIT}: burst requests of the API stage
 * @param alarmEmail {@value #ALARM_EMAIL}: address subscribed to the alarm topic, or null for none
 * @param apiGatewayCloudWatchRole {@value #API_GATEWAY_CLOUDWATCH_ROLE}: whether the stack sets the account's API
 *     Gateway CloudWatch Logs role, which API Gateway needs before it writes access or execution logs
 */
public record StackSettings(
        String judgeModelId,
        List<String> evaluationModelIds,
        String embeddingModelId,
        int embeddingDimensions,
        List<String> trainingInstanceTypes,
        String trainingImageUri,
        String baseModelS3Prefix,
        int logRetentionDays,
        int runTransitionDays,
        int noncurrentVersionDays,
        VectorIndexKind vectorIndex,
        String domainInstanceType,
        List<String> fewShotIndexes,
        int apiRateLimit,
        int apiBurstLimit,
        String alarmEmail,
        boolean apiGatewayCloudWatchRole) {

    public static final String JUDGE_MODEL_ID = "judgeModelId";
    public static final String EVALUATION_MODEL_IDS = "evaluationModelIds";
    public static final String EMBEDDING_MODEL_ID = "embeddingModelId";
    public static final String EMBEDDING_DIMENSIONS = "embeddingDimensions";
    public static final String TRAINING_INSTANCE_TYPES = "trainingInstanceTypes";
    public static final String TRAINING_IMAGE_URI = "trainingImageUri";
    public static final String BASE_MODEL_S3_PREFIX = "baseModelS3Prefix";
    public static final String LOG_RETENTION_DAYS = "logRetentionDays";
    public static final String RUN_TRANSITION_DAYS = "runTransitionDays";
    public static final String NONCURRENT_VERSION_DAYS = "noncurrentVersionDays";
    public static final String VECTOR_INDEX = "vectorIndex";
    public static final String DOMAIN_INSTANCE_TYPE = "domainInstanceType";
    public static final String FEWSHOT_INDEXES = "fewShotIndexes";
    public static final String API_RATE_LIMIT = "apiRateLimit";
    public static final String API_BURST_LIMIT = "apiBurstLimit";
    public static final String ALARM_EMAIL = "alarmEmail";
    public static final String API_GATEWAY_CLOUDWATCH_ROLE = "apiGatewayCloudWatchRole";

    /** Every key this record reads; {@link #fromContext} rejects none of the others, because CDK adds its own. */
    public static final List<String> KEYS = List.of(JUDGE_MODEL_ID, EVALUATION_MODEL_IDS, EMBEDDING_MODEL_ID,
            EMBEDDING_DIMENSIONS, TRAINING_INSTANCE_TYPES, TRAINING_IMAGE_URI, BASE_MODEL_S3_PREFIX, LOG_RETENTION_DAYS,
            RUN_TRANSITION_DAYS, NONCURRENT_VERSION_DAYS, VECTOR_INDEX, DOMAIN_INSTANCE_TYPE, FEWSHOT_INDEXES,
            API_RATE_LIMIT, API_BURST_LIMIT, ALARM_EMAIL, API_GATEWAY_CLOUDWATCH_ROLE);

    /**
     * The retention periods CloudWatch Logs accepts (PutRetentionPolicy's {@code retentionInDays} values), in days.
     */
    public static final Set<Integer> LOG_RETENTION_VALUES = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
            400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    /** The OpenSearch deployment that stores the few-shot indexes. */
    public enum VectorIndexKind {
        /** An OpenSearch Serverless VECTORSEARCH collection; SigV4 service {@code aoss}. */
        SERVERLESS,
        /** An Amazon OpenSearch Service domain; SigV4 service {@code es}. */
        DOMAIN
    }

    /** Bedrock model ids and inference profile ids, such as {@code us.anthropic.claude-3-5-haiku-20241022-v1:0}. */
    private static final Pattern MODEL_ID = Pattern.compile("[a-z0-9-]+(\\.[a-z0-9-]+)+(:[0-9]+)?[a-z0-9:.-]*");
    private static final Pattern TRAINING_INSTANCE_TYPE = Pattern.compile("ml\\.[a-z0-9]+\\.[a-z0-9]+");
    private static final Pattern DOMAIN_INSTANCE = Pattern.compile("[a-z0-9]+\\.[a-z0-9]+\\.search");
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,254}");
    private static final Pattern IMAGE_URI = Pattern.compile("[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com"
            + "(\\.cn)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})");
    /**
     * An S3 folder: a bucket name as S3 names them, and a non-empty key prefix ending in '/' without the characters
     * that IAM reads as wildcards ('*', '?') or whitespace.
     */
    private static final Pattern S3_FOLDER = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/([^\\s*?]+/)");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public StackSettings {
        evaluationModelIds = List.copyOf(evaluationModelIds);
        trainingInstanceTypes = List.copyOf(trainingInstanceTypes);
        fewShotIndexes = List.copyOf(fewShotIndexes);
        Objects.requireNonNull(judgeModelId, "judgeModelId");
        Objects.requireNonNull(embeddingModelId, "embeddingModelId");
        Objects.requireNonNull(vectorIndex, "vectorIndex");
        Objects.requireNonNull(domainInstanceType, "domainInstanceType");
    }

    /** Returns the defaults that {@code cdk.json} also lists. */
    public static StackSettings defaults() {
        return fromContext(key -> null);
    }

    /**
     * Reads and validates every key. A missing key takes its default.
     *
     * @param context returns the context value of a key (a String from {@code -c}, or a JSON value from
     *     {@code cdk.json}), or null
     * @throws IllegalArgumentException naming the key, the value and what is accepted
     */
    public static StackSettings fromContext(Function<String, Object> context) {
        String judge = text(context, JUDGE_MODEL_ID, "us.anthropic.claude-3-5-haiku-20241022-v1:0");
        requireMatch(JUDGE_MODEL_ID, judge, MODEL_ID, "a Bedrock model id or inference profile id such as"
                + " anthropic.claude-3-5-haiku-20241022-v1:0");
        List<String> evaluationModels = list(context, EVALUATION_MODEL_IDS, List.of());
        for (String model : evaluationModels) {
            requireMatch(EVALUATION_MODEL_IDS, model, MODEL_ID, "Bedrock model ids or inference profile ids such"
                    + " as amazon.nova-lite-v1:0, separated by commas");
        }
        String embedding = text(context, EMBEDDING_MODEL_ID, "amazon.titan-embed-text-v2:0");
        requireMatch(EMBEDDING_MODEL_ID, embedding, MODEL_ID, "a Bedrock model id such as"
                + " amazon.titan-embed-text-v2:0");
        int dimensions = integer(context, EMBEDDING_DIMENSIONS, 1024);
        if (dimensions != 256 && dimensions != 512 && dimensions != 1024) {
            throw invalid(EMBEDDING_DIMENSIONS, dimensions, "256, 512 or 1024 (the lengths Titan Text Embeddings V2"
                    + " returns)");
        }

        List<String> instanceTypes = list(context, TRAINING_INSTANCE_TYPES, List.of("ml.g5.12xlarge",
                "ml.g5.24xlarge", "ml.g5.48xlarge"));
        for (String type : instanceTypes) {
            requireMatch(TRAINING_INSTANCE_TYPES, type, TRAINING_INSTANCE_TYPE, "SageMaker instance types such as"
                    + " ml.g5.12xlarge, separated by commas");
        }
        String image = text(context, TRAINING_IMAGE_URI, null);
        if (image != null) {
            requireMatch(TRAINING_IMAGE_URI, image, IMAGE_URI, "an ECR image URI with a tag or digest, such as"
                    + " 763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:<tag>");
        }
        String baseModelPrefix = text(context, BASE_MODEL_S3_PREFIX, null);
        if (baseModelPrefix != null) {
            requireMatch(BASE_MODEL_S3_PREFIX, baseModelPrefix, S3_FOLDER, "an S3 folder such as"
                    + " s3://my-models/llama-3.1-8b-instruct/ (bucket and key prefix, ending with '/', no '*' or '?')");
        }

        int logRetention = integer(context, LOG_RETENTION_DAYS, 30);
        if (!LOG_RETENTION_VALUES.contains(logRetention)) {
            throw invalid(LOG_RETENTION_DAYS, logRetention, "one of the CloudWatch Logs retention periods "
                    + LOG_RETENTION_VALUES.stream().sorted().toList());
        }
        int transition = integer(context, RUN_TRANSITION_DAYS, 90);
        if (transition < 30 || transition > 36_500) {
            throw invalid(RUN_TRANSITION_DAYS, transition, "30 to 36500 days; S3 moves objects to Standard-IA only"
                    + " after 30 days");
        }
        int noncurrent = integer(context, NONCURRENT_VERSION_DAYS, 30);
        if (noncurrent < 1 || noncurrent > 36_500) {
            throw invalid(NONCURRENT_VERSION_DAYS, noncurrent, "1 to 36500 days");
        }

        String kind = text(context, VECTOR_INDEX, "serverless");
        VectorIndexKind vectorIndex = switch (kind) {
            case "serverless" -> VectorIndexKind.SERVERLESS;
            case "domain" -> VectorIndexKind.DOMAIN;
            default -> throw invalid(VECTOR_INDEX, kind, "serverless (an OpenSearch Serverless vector collection)"
                    + " or domain (a managed OpenSearch Service domain)");
        };
        String domainInstance = text(context, DOMAIN_INSTANCE_TYPE, "t3.small.search");
        requireMatch(DOMAIN_INSTANCE_TYPE, domainInstance, DOMAIN_INSTANCE, "an OpenSearch Service instance type"
                + " such as t3.small.search or r7g.large.search");

        List<String> indexes = list(context, FEWSHOT_INDEXES, List.of("golden"));
        if (indexes.isEmpty()) {
            throw invalid(FEWSHOT_INDEXES, "", "one or more index names separated by commas");
        }
        for (String index : indexes) {
            requireMatch(FEWSHOT_INDEXES, index, INDEX_NAME, "lowercase index names (letters, digits, - and _, not"
                    + " starting with - or _) separated by commas");
        }

        int rate = integer(context, API_RATE_LIMIT, 50);
        if (rate < 1 || rate > 10_000) {
            throw invalid(API_RATE_LIMIT, rate, "1 to 10000 requests per second (the default Regional account"
                    + " quota)");
        }
        int burst = integer(context, API_BURST_LIMIT, 100);
        if (burst < rate || burst > 5_000) {
            throw invalid(API_BURST_LIMIT, burst, "at least " + API_RATE_LIMIT + " (" + rate + ") and at most"
                    + " 5000 requests");
        }
        String email = text(context, ALARM_EMAIL, null);
        if (email != null) {
            requireMatch(ALARM_EMAIL, email, EMAIL, "an email address");
        }
        boolean cloudWatchRole = bool(context, API_GATEWAY_CLOUDWATCH_ROLE, true);

        return new StackSettings(judge, evaluationModels, embedding, dimensions, instanceTypes, image, baseModelPrefix,
                logRetention, transition, noncurrent, vectorIndex, domainInstance, indexes, rate, burst, email,
                cloudWatchRole);
    }

    /** Returns the bucket of {@link #baseModelS3Prefix}, or null when it is not set. */
    public String baseModelBucket() {
        return baseModelS3Prefix == null ? null : s3Folder(baseModelS3Prefix).group(1);
    }

    /** Returns the key prefix of {@link #baseModelS3Prefix}, ending with '/', or null when it is not set. */
    public String baseModelKeyPrefix() {
        return baseModelS3Prefix == null ? null : s3Folder(baseModelS3Prefix).group(2);
    }

    private static Matcher s3Folder(String uri) {
        Matcher matcher = S3_FOLDER.matcher(uri);
        if (!matcher.matches()) {
            throw invalid(BASE_MODEL_S3_PREFIX, uri, "an S3 folder such as s3://my-models/llama-3.1-8b-instruct/");
        }
        return matcher;
    }

    private static String text(Function<String, Object> context, String key, String fallback) {
        Object value = context.apply(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw invalid(key, value, "a string");
        }
        return text.isBlank() ? fallback : text.strip();
    }

    private static int integer(Function<String, Object> context, String key, int fallback) {
        Object value = context.apply(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            if (number.doubleValue() != Math.rint(number.doubleValue())) {
                throw invalid(key, value, "a whole number");
            }
            return number.intValue();
        }
        try {
            return Integer.parseInt(value.toString().strip());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a whole number");
        }
    }

    private static boolean bool(Function<String, Object> context, String key, boolean fallback) {
        Object value = context.apply(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        return switch (value.toString().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, value, "true or false");
        };
    }

    /** Reads a JSON array of strings from cdk.json or a comma-separated string from {@code -c}. */
    private static List<String> list(Function<String, Object> context, String key, List<String> fallback) {
        Object value = context.apply(key);
        if (value == null) {
            return fallback;
        }
        List<Object> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            items.addAll(list);
        } else {
            items.addAll(Arrays.asList(value.toString().split(",")));
        }
        Set<String> names = new LinkedHashSet<>();
        for (Object item : items) {
            if (!(item instanceof String name)) {
                throw invalid(key, value, "strings");
            }
            if (!name.isBlank()) {
                names.add(name.strip());
            }
        }
        return List.copyOf(names);
    }

    private static void requireMatch(String key, String value, Pattern pattern, String accepted) {
        if (!pattern.matcher(value).matches()) {
            throw invalid(key, value, accepted);
        }
    }

    private static IllegalArgumentException invalid(String key, Object value, String accepted) {
        return new IllegalArgumentException("CDK context value " + key + "='" + value + "' is invalid; set it to "
                + accepted + " in cdk/cdk.json or with -c " + key + "=...");
    }
}
