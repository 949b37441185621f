package dev.tuneladder.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

/**
 * Stacks synthesized once per test JVM and shared by the test classes, because each synthesis starts the CDK's
 * JavaScript in node and takes seconds.
 */
final class TestStacks {

    /** The repository root, seen from the module folder that Surefire runs in. */
    static final Path REPOSITORY_ROOT = Path.of("..").toAbsolutePath().normalize();

    static final Environment ENVIRONMENT = Environment.builder().account("123456789012").region("us-east-1").build();

    /** Bucket of the base model folder that {@link #baseModelPrefix()} configures. */
    static final String BASE_MODEL_BUCKET = "example-models";

    private static TuneladderStack serverless;
    private static Template serverlessTemplate;
    private static TuneladderStack domain;
    private static Template domainTemplate;
    private static TuneladderStack baseModelPrefix;
    private static Template baseModelPrefixTemplate;
    private static TuneladderStack evaluationModels;
    private static Template evaluationModelsTemplate;

    /** The inference profile that {@link #evaluationModels()} lists in evaluationModelIds. */
    static final String EVALUATION_PROFILE_ID = "us.anthropic.claude-3-5-sonnet-20240620-v1:0";
    /** The foundation model that {@link #evaluationModels()} lists in evaluationModelIds. */
    static final String EVALUATION_MODEL_ID = "amazon.nova-lite-v1:0";

    private TestStacks() {
    }

    /** Returns the stack with default settings (a Serverless collection), with the cdk-nag checks applied. */
    static synchronized TuneladderStack serverless() {
        if (serverless == null) {
            serverless = create(StackSettings.defaults());
            serverlessTemplate = Template.fromStack(serverless);
        }
        return serverless;
    }

    static synchronized Template serverlessTemplate() {
        serverless();
        return serverlessTemplate;
    }

    /** Returns the stack with {@code vectorIndex=domain}, with the cdk-nag checks applied. */
    static synchronized TuneladderStack domain() {
        if (domain == null) {
            domain = create(StackSettings.fromContext(Map.<String, Object>of(StackSettings.VECTOR_INDEX,
                    "domain")::get));
            domainTemplate = Template.fromStack(domain);
        }
        return domain;
    }

    static synchronized Template domainTemplate() {
        domain();
        return domainTemplate;
    }

    /**
     * Returns the stack with {@code baseModelS3Prefix=s3://example-models/llama-3.1-8b-instruct/}, with the cdk-nag
     * checks applied.
     */
    static synchronized TuneladderStack baseModelPrefix() {
        if (baseModelPrefix == null) {
            baseModelPrefix = create(StackSettings.fromContext(Map.<String, Object>of(
                    StackSettings.BASE_MODEL_S3_PREFIX, "s3://" + BASE_MODEL_BUCKET + "/llama-3.1-8b-instruct/")::get));
            baseModelPrefixTemplate = Template.fromStack(baseModelPrefix);
        }
        return baseModelPrefix;
    }

    static synchronized Template baseModelPrefixTemplate() {
        baseModelPrefix();
        return baseModelPrefixTemplate;
    }

    /**
     * Returns the stack whose evaluationModelIds lists {@link #EVALUATION_PROFILE_ID} and
     * {@link #EVALUATION_MODEL_ID}, as {@code -c} gives them, with the cdk-nag checks applied.
     */
    static synchronized TuneladderStack evaluationModels() {
        if (evaluationModels == null) {
            evaluationModels = create(StackSettings.fromContext(Map.<String, Object>of(
                    StackSettings.EVALUATION_MODEL_IDS, EVALUATION_PROFILE_ID + "," + EVALUATION_MODEL_ID)::get));
            evaluationModelsTemplate = Template.fromStack(evaluationModels);
        }
        return evaluationModels;
    }

    static synchronized Template evaluationModelsTemplate() {
        evaluationModels();
        return evaluationModelsTemplate;
    }

    /** Returns the context section of cdk/cdk.json, so the tests synthesize with the app's feature flags. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> cdkJsonContext() {
        try {
            Map<String, Object> cdkJson = new ObjectMapper().readValue(Path.of("cdk.json").toFile(), Map.class);
            return (Map<String, Object>) cdkJson.get("context");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cdk/cdk.json; run the tests from the cdk module", e);
        }
    }

    /**
     * Returns a new environment-agnostic stack, as {@code cdk synth} makes without credentials, with the cdk-nag
     * checks applied. Its ARNs hold pseudo parameters such as {@code <AWS::Region>} where the others have values.
     */
    static TuneladderStack withoutEnvironment() {
        return create(StackSettings.defaults(), StackProps.builder().build());
    }

    private static TuneladderStack create(StackSettings settings) {
        return create(settings, StackProps.builder().env(ENVIRONMENT).build());
    }

    private static TuneladderStack create(StackSettings settings, StackProps props) {
        App app = new App(AppProps.builder().context(cdkJsonContext()).build());
        TuneladderStack stack = new TuneladderStack(app, "Tuneladder", props, settings, REPOSITORY_ROOT);
        NagSuppressionsForStack.apply(stack);
        Aspects.of(stack).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        return stack;
    }
}
