package dev.tuneladder.cdk;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One Lambda function per {@link HandlerFunction}, all from the handlers jar: its own role and log group, SnapStart
 * on published versions, and an alias {@value #ALIAS} on the current version. Callers (the API and the state
 * machines) invoke the alias, because SnapStart applies only to published versions.
 */
final class Functions extends Construct {

    static final String ALIAS = "live";

    /** Java 21: a SnapStart runtime (Java 11 and later) that runs the jar's Java 17 bytecode. */
    static final Runtime RUNTIME = Runtime.JAVA_21;

    private final Map<HandlerFunction, Function> functions = new EnumMap<>(HandlerFunction.class);
    private final Map<HandlerFunction, Alias> aliases = new EnumMap<>(HandlerFunction.class);
    private final Map<HandlerFunction, Role> roles = new EnumMap<>(HandlerFunction.class);

    Functions(Construct scope, String id, StackSettings settings, Code code, DataStorage storage) {
        super(scope, id);
        for (HandlerFunction spec : HandlerFunction.values()) {
            create(spec, settings, code, storage);
        }
        grantModels(settings);
    }

    private void create(HandlerFunction spec, StackSettings settings, Code code, DataStorage storage) {
        String name = spec.constructId();
        LogGroup logGroup = LogGroup.Builder.create(this, name + "Logs")
                .retention(retention(settings.logRetentionDays()))
                .encryptionKey(storage.key)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        // A role per function instead of the AWS managed basic execution policy: it may write to its own log group
        // and nothing else until the grants below.
        Role role = Role.Builder.create(this, name + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs the " + spec.handlerClass + " Lambda function")
                .build();
        logGroup.grantWrite(role);

        Function function = Function.Builder.create(this, name)
                .description(spec.handlerClass + " from the tuneladder handlers jar")
                .runtime(RUNTIME)
                .architecture(Architecture.X86_64)
                .handler(spec.handler())
                .code(code)
                .memorySize(spec.memoryMegabytes)
                .timeout(Duration.seconds(spec.timeoutSeconds))
                .role(role)
                .logGroup(logGroup)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .build();

        if (spec.bucket.readPattern != null) {
            storage.bucket.grantRead(role, spec.bucket.readPattern);
        }
        if (spec.bucket.writePattern != null) {
            storage.bucket.grantPut(role, spec.bucket.writePattern);
        }
        if (spec.bucket.deletes) {
            storage.bucket.grantDelete(role, spec.bucket.writePattern);
        }
        if (spec.bucket != HandlerFunction.Bucket.NONE) {
            function.addEnvironment(HandlerEnvironment.BUCKET, storage.bucket.getBucketName());
        }
        if (spec.embeds) {
            function.addEnvironment(HandlerEnvironment.EMBEDDING_MODEL_ID, settings.embeddingModelId());
            function.addEnvironment(HandlerEnvironment.EMBEDDING_DIMENSIONS,
                    Integer.toString(settings.embeddingDimensions()));
        }

        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "Callers invoke the " + ALIAS + " alias, which points at the published current version");
        Alias alias = Alias.Builder.create(this, name + "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
        functions.put(spec, function);
        aliases.put(spec, alias);
        roles.put(spec, role);
    }

    private void grantModels(StackSettings settings) {
        Stack stack = Stack.of(this);
        String embeddingModel = "arn:" + stack.getPartition() + ":bedrock:" + stack.getRegion()
                + "::foundation-model/" + settings.embeddingModelId();
        for (HandlerFunction spec : HandlerFunction.values()) {
            if (spec.embeds) {
                roles.get(spec).addToPolicy(PolicyStatement.Builder.create()
                        .effect(Effect.ALLOW)
                        .actions(List.of("bedrock:InvokeModel"))
                        .resources(List.of(embeddingModel))
                        .build());
            }
        }

        // The fine-tuning run evaluates the candidate it imported, whose id exists only once the run created it.
        // Foundation models and inference profiles are callable only when evaluationModelIds lists them.
        List<String> candidates = new ArrayList<>();
        candidates.add("arn:" + stack.getPartition() + ":bedrock:" + stack.getRegion() + ":" + stack.getAccount()
                + ":imported-model/*");
        for (String modelId : settings.evaluationModelIds()) {
            candidates.addAll(BedrockModels.invokeResources(stack, modelId));
        }
        roles.get(HandlerFunction.EVALUATE_BATCH).addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("bedrock:InvokeModel"))
                .resources(candidates.stream().distinct().toList())
                .build());

        Function judge = functions.get(HandlerFunction.JUDGE);
        judge.addEnvironment(HandlerEnvironment.JUDGE_MODEL_ID, settings.judgeModelId());
        roles.get(HandlerFunction.JUDGE).addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("bedrock:InvokeModel"))
                .resources(BedrockModels.invokeResources(stack, settings.judgeModelId()))
                .build());
    }

    Function function(HandlerFunction spec) {
        return functions.get(spec);
    }

    Alias alias(HandlerFunction spec) {
        return aliases.get(spec);
    }

    Role role(HandlerFunction spec) {
        return roles.get(spec);
    }

    /** Returns the RetentionDays constant for a number of days that {@link StackSettings} validated. */
    static RetentionDays retention(int days) {
        String name = switch (days) {
            case 1 -> "ONE_DAY";
            case 3 -> "THREE_DAYS";
            case 5 -> "FIVE_DAYS";
            case 7 -> "ONE_WEEK";
            case 14 -> "TWO_WEEKS";
            case 30 -> "ONE_MONTH";
            case 60 -> "TWO_MONTHS";
            case 90 -> "THREE_MONTHS";
            case 120 -> "FOUR_MONTHS";
            case 150 -> "FIVE_MONTHS";
            case 180 -> "SIX_MONTHS";
            case 365 -> "ONE_YEAR";
            case 400 -> "THIRTEEN_MONTHS";
            case 545 -> "EIGHTEEN_MONTHS";
            case 731 -> "TWO_YEARS";
            case 1096 -> "THREE_YEARS";
            case 1827 -> "FIVE_YEARS";
            case 2192 -> "SIX_YEARS";
            case 2557 -> "SEVEN_YEARS";
            case 2922 -> "EIGHT_YEARS";
            case 3288 -> "NINE_YEARS";
            case 3653 -> "TEN_YEARS";
            default -> throw new IllegalArgumentException("no CloudWatch Logs retention of " + days + " days; use"
                    + " one of " + StackSettings.LOG_RETENTION_VALUES.stream().sorted().toList());
        };
        return RetentionDays.valueOf(name);
    }
}
