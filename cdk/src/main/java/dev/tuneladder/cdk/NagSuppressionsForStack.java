package dev.tuneladder.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.ArrayList;
import java.util.List;
import software.constructs.IConstruct;

/**
 * The cdk-nag AwsSolutions findings that the stack accepts, each on the construct it belongs to and with its
 * reason. Wildcard findings (IAM5) are suppressed only for the listed actions and resources, so a new wildcard still
 * fails the check.
 */
final class NagSuppressionsForStack {

    /**
     * One ARN segment in a finding: a literal without colons, or a pseudo parameter such as {@code <AWS::Region>}
     * when the stack has no account and Region.
     */
    private static final String SEGMENT = "(<[^>]+>|[^:<>]+)";

    private NagSuppressionsForStack() {
    }

    static void apply(TuneladderStack stack) {
        List<NagPackSuppression> functions = new ArrayList<>(bucketGrants());
        functions.add(suppression("AwsSolutions-L1", "Java 21 is the newest Java runtime that this project has"
                + " checked for SnapStart support; the handlers jar is Java 17 bytecode"));
        functions.add(wildcard("Bedrock cross-Region inference profiles route a request to the foundation model in"
                + " any of the profile's Regions, so the model ARN needs a Region wildcard",
                regex("/^Resource::arn:" + SEGMENT + ":bedrock:\\*::foundation-model\\/.+$/g")));
        functions.add(wildcard("Evaluate-batch calls the candidate model that a fine-tuning run imported; its id"
                + " exists only once the run created it, and the grant covers imported models of this account",
                regex("/^Resource::arn:" + SEGMENT + ":bedrock:" + SEGMENT + ":" + SEGMENT
                        + ":imported-model\\/\\*$/g")));
        functions.add(wildcard("Run ids, and so execution names, are chosen per run; the run-status function may"
                + " describe only executions of the stack's three state machines", executions()));
        if (stack.settings.vectorIndex() == StackSettings.VectorIndexKind.DOMAIN) {
            functions.add(wildcard("Documents of each few-shot index are addressed by paths below the index",
                    regex("/^Resource::arn:" + SEGMENT + ":es:" + SEGMENT + ":" + SEGMENT
                            + ":domain\\/[a-z0-9-]+\\/[a-z0-9_-]+\\/\\*$/g")));
        }
        add(stack.functions, functions);

        List<NagPackSuppression> machines = new ArrayList<>(bucketGrants());
        machines.add(wildcard("X-Ray trace writes have no resource-level permissions (the state machines'"
                + " tracing)", "Resource::*"));
        machines.add(wildcard("Child executions of the Distributed Map and of the candidate evaluation get names"
                + " at run time; the grant covers executions of this stack's evaluation machine only", executions()));
        machines.add(wildcard("Training job names come from each run's input; CreateTrainingJob is limited to the"
                + " configured instance types by the sagemaker:InstanceTypes condition",
                regex("/^Resource::arn:" + SEGMENT + ":sagemaker:" + SEGMENT + ":" + SEGMENT
                        + ":training-job\\/\\*$/g")));
        machines.add(wildcard("Model import job and imported model names come from each run's input",
                regex("/^Resource::arn:" + SEGMENT + ":bedrock:" + SEGMENT + ":" + SEGMENT
                        + ":(model-import-job|imported-model)\\/\\*$/g")));
        add(stack.stateMachines, machines);

        List<NagPackSuppression> training = new ArrayList<>(bucketGrants());
        training.add(wildcard("ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level"
                + " permissions; PutMetricData is limited to the SageMaker namespaces by a condition", "Resource::*"));
        training.add(wildcard("SageMaker writes one log stream per training job into this fixed log group",
                regex("/^Resource::arn:" + SEGMENT + ":logs:" + SEGMENT + ":" + SEGMENT
                        + ":log-group:\\/aws\\/sagemaker\\/TrainingJobs:\\*$/g")));
        if (stack.settings.baseModelS3Prefix() != null) {
            training.add(wildcard("Base model weights are many files under the configured baseModelS3Prefix, and a"
                    + " run's baseModel names its folder at run time", regex("/^Resource::arn:" + SEGMENT
                    + ":s3:::" + escape(stack.settings.baseModelBucket() + "/"
                    + stack.settings.baseModelKeyPrefix()) + "\\*$/g")));
        }
        add(stack.trainingRoles, training);

        if (stack.settings.vectorIndex() == StackSettings.VectorIndexKind.DOMAIN) {
            add(stack.vectorStore, domain());
        }

        add(stack.api, List.of(
                suppression("AwsSolutions-COG4", "Callers authenticate with IAM (SigV4): the API serves services"
                        + " and engineers with AWS credentials, not end users of a Cognito user pool"),
                managedLogsPolicy()));
    }

    /** Returns the findings of the single-node managed domain, which exists as the low-cost option. */
    private static List<NagPackSuppression> domain() {
        return List.of(
                suppression("AwsSolutions-OS1", "The few-shot functions run outside a VPC; every request must be"
                        + " SigV4-signed by one of the two roles that the domain's resource policy names"),
                suppression("AwsSolutions-OS3", "Access is granted to IAM roles in the resource policy instead of"
                        + " IP addresses, because Lambda functions outside a VPC have no fixed addresses"),
                suppression("AwsSolutions-OS4", "The domain option is the low-cost one: a single data node, where"
                        + " dedicated master nodes would triple the node count; use vectorIndex=serverless for a"
                        + " redundant deployment"),
                suppression("AwsSolutions-OS7", "A single data node has one Availability Zone; if it is lost, the"
                        + " examples must be upserted again. Use vectorIndex=serverless for redundancy"),
                suppression("AwsSolutions-OS9", "Slow logs need a CloudWatch Logs resource policy that the CDK sets"
                        + " through an extra custom-resource Lambda function; the domain's errors reach the"
                        + " functions' logs as failed requests"));
    }

    /**
     * Returns the wildcards of the CDK's bucket and key grants: read, write and delete under a prefix, and their KMS
     * actions.
     */
    private static List<NagPackSuppression> bucketGrants() {
        return List.of(wildcard("The CDK's bucket grants use these action groups (read, write and delete objects,"
                        + " list the bucket, abort multipart uploads, and the matching KMS data key actions) on the one"
                        + " data bucket and its key",
                        "Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*", "Action::s3:Abort*",
                        "Action::s3:DeleteObject*", "Action::kms:ReEncrypt*", "Action::kms:GenerateDataKey*"),
                wildcard("Object keys are chosen per run at run time; each grant is limited to the data bucket and,"
                        + " for writes and deletes, to a prefix under runs/ or the Distributed Map results prefix",
                        regex("/^Resource::<StorageData[0-9A-F]+\\.Arn>\\/(\\*|runs\\/\\*|runs\\/\\*\\/training\\/\\*"
                                + "|runs\\/\\*\\/training-data\\/\\*|evaluation-map-runs\\/\\*)$/g")));
    }

    private static NagPackSuppression managedLogsPolicy() {
        return NagPackSuppression.builder()
                .id("AwsSolutions-IAM4")
                .reason("API Gateway's account-level CloudWatch Logs role uses the AWS managed policy that API"
                        + " Gateway documents for it")
                .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                        + "AmazonAPIGatewayPushToCloudWatchLogs"))
                .build();
    }

    private static RegexAppliesTo executions() {
        return regex("/^Resource::arn:" + SEGMENT + ":states:" + SEGMENT + ":" + SEGMENT + ":execution:" + SEGMENT
                + "-(evaluation|fine-tuning|sampling):\\*$/g");
    }

    private static void add(IConstruct construct, List<NagPackSuppression> suppressions) {
        NagSuppressions.addResourceSuppressions(construct, suppressions, true);
    }

    private static NagPackSuppression suppression(String id, String reason) {
        return NagPackSuppression.builder().id(id).reason(reason).build();
    }

    private static NagPackSuppression wildcard(String reason, Object... appliesTo) {
        return NagPackSuppression.builder().id("AwsSolutions-IAM5").reason(reason).appliesTo(List.of(appliesTo))
                .build();
    }

    /** Escapes the characters that JavaScript regular expressions, which cdk-nag evaluates, treat as syntax. */
    private static String escape(String literal) {
        StringBuilder escaped = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("\\^$.|?*+()[]{}/-".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    private static RegexAppliesTo regex(String pattern) {
        return RegexAppliesTo.builder().regex(pattern).build();
    }
}
