package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned command line from cdk/package.json synthesizing the app, the way a user runs {@code cdk synth}: it
 * checks that this CLI version reads the cloud assembly that aws-cdk-lib writes, and that synthesis runs without
 * an account or credentials. The build's {@code npm ci} installs the CLI. The app runs on this test's class
 * path instead of cdk.json's Maven command, because a plain {@code mvn verify} installs nothing in the local
 * repository that a nested Maven could resolve.
 */
class CliSynthTest {

    private static final Path CLI = Path.of("node_modules", ".bin", "cdk");

    @Test
    void pinnedCli_synthesizesOffline(@TempDir Path out) throws Exception {
        assertThat(CLI).as("the aws-cdk CLI that the build's npm ci installs").isExecutable();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(CLI.toString(), "synth", "--app",
                "\"" + java + "\" " + TuneladderApp.class.getName(), "--no-notices", "--no-version-reporting",
                "--quiet", "--output", out.toString())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("CDK_"));
        environment.put("CLASSPATH", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")));
        environment.put("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        environment.put("CDK_DISABLE_CLI_TELEMETRY", "true");
        environment.put("AWS_EC2_METADATA_DISABLED", "true");

        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }

        assertThat(finished).as("cdk synth finished").isTrue();
        assertThat(process.exitValue()).as("cdk synth output:%n%s", output).isZero();
        assertThat(out.resolve("Tuneladder.template.json")).content().contains("AWS::StepFunctions::StateMachine");
        assertThat(out.resolve("Tuneladder.assets.json")).content().contains(".jar");
        assertThat(output).doesNotContain("Error");
    }
}
