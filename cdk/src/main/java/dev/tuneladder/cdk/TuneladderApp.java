package dev.tuneladder.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: one {@link TuneladderStack}, configured by CDK context (see {@link StackSettings}) and checked by
 * cdk-nag's AwsSolutions rules, whose unsuppressed errors fail the synth.
 *
 * <p>Context {@code stackName} (default {@value #DEFAULT_STACK_NAME}) names the stack, and {@code repositoryRoot}
 * (default {@code ..}, the parent of {@code cdk/}) is where the jar, definitions and API files are read from. The
 * account and Region come from the CLI's credentials ({@code CDK_DEFAULT_ACCOUNT}, {@code CDK_DEFAULT_REGION}).
 */
public final class TuneladderApp {

    public static final String DEFAULT_STACK_NAME = "Tuneladder";

    private TuneladderApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        StackSettings settings = StackSettings.fromContext(app.getNode()::tryGetContext);
        Object stackName = app.getNode().tryGetContext("stackName");
        Object root = app.getNode().tryGetContext("repositoryRoot");

        String account = System.getenv("CDK_DEFAULT_ACCOUNT");
        String region = System.getenv("CDK_DEFAULT_REGION");
        StackProps.Builder props = StackProps.builder()
                .description("tuneladder: evaluation-first tuning platform for LLM agents");
        if (account != null && region != null) {
            props.env(Environment.builder().account(account).region(region).build());
        }
        TuneladderStack stack = new TuneladderStack(app, stackName == null ? DEFAULT_STACK_NAME : stackName.toString(),
                props.build(), settings, Path.of(root == null ? ".." : root.toString()));
        NagSuppressionsForStack.apply(stack);
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        app.synth();
    }
}
