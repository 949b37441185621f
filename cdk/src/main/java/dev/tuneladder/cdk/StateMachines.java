package dev.tuneladder.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The three Standard state machines, built from {@code statemachines/*.asl.json} with a definition substitution for
 * every {@code ${Placeholder}}, logging (without execution data, which contains customer text) and X-Ray tracing, an
 * alarm on failed executions each, and the IAM grants that their Task states need. The definitions are inlined in
 * the template rather than uploaded as assets, so the template tests see them.
 */
final class StateMachines extends Construct {

    /** Definition file stems; each machine is named {@code <stack name>-<stem>}. */
    static final String EVALUATION = "evaluation";
    static final String FINE_TUNING = "fine-tuning";
    static final String SAMPLING = "sampling";

    /** EventBridge rules that Step Functions manages for .sync integrations, named in its IAM documentation. */
    private static final String SAGEMAKER_SYNC_RULE = "StepFunctionsGetEventsForSageMakerTrainingJobsRule";
    private static final String STATES_SYNC_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule";

    final StateMachine evaluation;
    final StateMachine fineTuning;
    final StateMachine sampling;
    private final Map<String, Map<String, String>> substitutions = new LinkedHashMap<>();

    StateMachines(Construct scope, String id, StackSettings settings, Path definitions, Functions functions,
            DataStorage storage, TrainingRoles trainingRoles, TrainingSource trainingSource, Topic alarms) {
        super(scope, id);
        Stack stack = Stack.of(this);

        Map<String, String> evaluationValues = new LinkedHashMap<>();
        evaluationValues.put("DataBucketName", storage.bucket.getBucketName());
        putFunctions(evaluationValues, functions, HandlerFunction.EVALUATE_BATCH, HandlerFunction.AGGREGATE,
                HandlerFunction.RECORD_FAILURE);
        evaluation = create(EVALUATION, definitions, evaluationValues, settings, alarms, storage.key);
        grantInvoke(evaluation, functions, HandlerFunction.EVALUATE_BATCH, HandlerFunction.AGGREGATE,
                HandlerFunction.RECORD_FAILURE);
        grantDistributedMap(evaluation, storage);

        Map<String, String> samplingValues = new LinkedHashMap<>();
        putFunctions(samplingValues, functions, HandlerFunction.EMBED_BATCH, HandlerFunction.CLUSTER_STRATA,
                HandlerFunction.DRAW_AND_SPLIT, HandlerFunction.WRITE_SPLITS, HandlerFunction.RECORD_FAILURE);
        sampling = create(SAMPLING, definitions, samplingValues, settings, alarms, storage.key);
        grantInvoke(sampling, functions, HandlerFunction.EMBED_BATCH, HandlerFunction.CLUSTER_STRATA,
                HandlerFunction.DRAW_AND_SPLIT, HandlerFunction.WRITE_SPLITS, HandlerFunction.RECORD_FAILURE);

        Map<String, String> fineTuningValues = new LinkedHashMap<>();
        fineTuningValues.put("ArtifactsBucketName", storage.bucket.getBucketName());
        fineTuningValues.put("SageMakerTrainingRoleArn", trainingRoles.training.getRoleArn());
        fineTuningValues.put("BedrockImportRoleArn", trainingRoles.modelImport.getRoleArn());
        fineTuningValues.put("TrainingImageUri", trainingImage(settings, stack));
        fineTuningValues.put("TrainingSourceUri", trainingSource.s3Url());
        fineTuningValues.put("EvaluationStateMachineArn", evaluation.getStateMachineArn());
        putFunctions(fineTuningValues, functions, HandlerFunction.EXPORT_TRAINING_DATA, HandlerFunction.PREFLIGHT,
                HandlerFunction.GATE, HandlerFunction.PROMOTE, HandlerFunction.RECORD_FAILURE);
        fineTuning = create(FINE_TUNING, definitions, fineTuningValues, settings, alarms, storage.key);
        grantInvoke(fineTuning, functions, HandlerFunction.EXPORT_TRAINING_DATA, HandlerFunction.PREFLIGHT,
                HandlerFunction.GATE, HandlerFunction.PROMOTE, HandlerFunction.RECORD_FAILURE);
        grantFineTuning(fineTuning, settings, trainingRoles);
    }

    /** Returns the substitutions given to each definition, by file stem. */
    Map<String, Map<String, String>> substitutions() {
        return substitutions;
    }

    /**
     * Returns the ARN of the machine with the given stem, built from its name. The run-status function needs these
     * ARNs while the machines need the functions, so referring to the machines' attributes would be a cycle.
     */
    static String arnFromName(Stack stack, String stem) {
        return stack.formatArn(ArnComponents.builder()
                .service("states")
                .resource("stateMachine")
                .resourceName(name(stack, stem))
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }

    static String name(Stack stack, String stem) {
        return stack.getStackName() + "-" + stem;
    }

    /**
     * Returns the training image: the configured one, or the Hugging Face PyTorch training image of the stack's
     * Region. NOTE: the default tag comes from the Deep Learning Containers listing and is not checked against the
     * registry here. A tag that does not exist fails the training job with "manifest not found".
     */
    static String trainingImage(StackSettings settings, Stack stack) {
        if (settings.trainingImageUri() != null) {
            return settings.trainingImageUri();
        }
        return TrainingRoles.DEEP_LEARNING_CONTAINERS_ACCOUNT + ".dkr.ecr." + stack.getRegion() + "."
                + stack.getUrlSuffix() + "/huggingface-pytorch-training:"
                + "2.3.0-transformers4.48.0-gpu-py311-cu121-ubuntu20.04";
    }

    private StateMachine create(String stem, Path definitions, Map<String, String> values, StackSettings settings,
            Topic alarms, Key logKey) {
        Stack stack = Stack.of(this);
        Path file = definitions.resolve(stem + ".asl.json");
        String definition;
        try {
            definition = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state machine definition " + file.toAbsolutePath()
                    + "; run the CDK app from cdk/ in a full checkout, or set the context value repositoryRoot", e);
        }
        substitutions.put(stem, Map.copyOf(values));

        String id = Character.toUpperCase(stem.charAt(0)) + stem.substring(1).replace("-t", "T");
        LogGroup logGroup = LogGroup.Builder.create(this, id + "Logs")
                .logGroupName("/aws/vendedlogs/states/" + name(stack, stem))
                .retention(Functions.retention(settings.logRetentionDays()))
                .encryptionKey(logKey)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        StateMachine machine = StateMachine.Builder.create(this, id)
                .stateMachineName(name(stack, stem))
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromString(definition))
                .definitionSubstitutions(values)
                .tracingEnabled(true)
                .logs(LogOptions.builder()
                        .destination(logGroup)
                        .level(LogLevel.ALL)
                        .includeExecutionData(false)
                        .build())
                .build();

        Alarm alarm = Alarm.Builder.create(this, id + "FailedAlarm")
                .alarmDescription("An execution of " + name(stack, stem) + " failed; its cause is in"
                        + " runs/<runId>/failure.json or the execution history")
                .metric(machine.metricFailed())
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(alarms));
        return machine;
    }

    private static void putFunctions(Map<String, String> values, Functions functions, HandlerFunction... specs) {
        for (HandlerFunction spec : specs) {
            values.put(spec.arnPlaceholder(), functions.alias(spec).getFunctionArn());
        }
    }

    private static void grantInvoke(StateMachine machine, Functions functions, HandlerFunction... specs) {
        for (HandlerFunction spec : specs) {
            functions.alias(spec).grantInvoke(machine);
        }
    }

    /**
     * Grants what the evaluation's Distributed Map needs: starting and stopping its own child executions, reading
     * the dataset object (ItemReader) and writing the results (ResultWriter).
     */
    private void grantDistributedMap(StateMachine machine, DataStorage storage) {
        Stack stack = Stack.of(this);
        String self = arnFromName(stack, EVALUATION);
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("states:StartExecution"))
                .resources(List.of(self))
                .build());
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("states:DescribeExecution", "states:StopExecution"))
                .resources(List.of(executionArns(stack, EVALUATION)))
                .build());
        storage.bucket.grantRead(machine);
        storage.bucket.grantPut(machine, DataStorage.MAP_RESULTS_PREFIX + "*");
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"))
                .resources(List.of(storage.bucket.arnForObjects(DataStorage.MAP_RESULTS_PREFIX + "*")))
                .build());
    }

    /**
     * Grants the fine-tuning Task states: the SageMaker .sync training integration, Bedrock model import through
     * the SDK integration, the evaluation child execution (.sync:2), and passing the two service roles.
     */
    private void grantFineTuning(StateMachine machine, StackSettings settings, TrainingRoles roles) {
        Stack stack = Stack.of(this);
        String region = stack.getRegion();
        String account = stack.getAccount();
        String partition = stack.getPartition();

        // sagemaker:InstanceTypes limits the instance types a run's input may ask for.
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("sagemaker:CreateTrainingJob"))
                .resources(List.of("arn:" + partition + ":sagemaker:" + region + ":" + account + ":training-job/*"))
                .conditions(Map.of("ForAllValues:StringEquals",
                        Map.of("sagemaker:InstanceTypes", settings.trainingInstanceTypes())))
                .build());
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob",
                        "sagemaker:AddTags"))
                .resources(List.of("arn:" + partition + ":sagemaker:" + region + ":" + account + ":training-job/*"))
                .build());
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("events:PutTargets", "events:PutRule", "events:DescribeRule"))
                .resources(List.of(
                        "arn:" + partition + ":events:" + region + ":" + account + ":rule/" + SAGEMAKER_SYNC_RULE,
                        "arn:" + partition + ":events:" + region + ":" + account + ":rule/" + STATES_SYNC_RULE))
                .build());
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("iam:PassRole"))
                .resources(List.of(roles.training.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "sagemaker.amazonaws.com")))
                .build());

        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("bedrock:CreateModelImportJob", "bedrock:GetModelImportJob"))
                .resources(List.of(
                        "arn:" + partition + ":bedrock:" + region + ":" + account + ":model-import-job/*",
                        "arn:" + partition + ":bedrock:" + region + ":" + account + ":imported-model/*"))
                .build());
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("iam:PassRole"))
                .resources(List.of(roles.modelImport.getRoleArn()))
                .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", "bedrock.amazonaws.com")))
                .build());

        evaluation.grantStartExecution(machine);
        machine.addToRolePolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("states:DescribeExecution", "states:StopExecution"))
                .resources(List.of(executionArns(stack, EVALUATION)))
                .build());
    }

    /** Returns the ARN pattern of every execution of the machine with the given stem. */
    static String executionArns(Stack stack, String stem) {
        return stack.formatArn(ArnComponents.builder()
                .service("states")
                .resource("execution")
                .resourceName(name(stack, stem) + ":*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }
}
