package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.cxapi.CloudAssembly;

class SynthTest {

    @Test
    void appWritesTemplateAndJarAsset(@TempDir Path out) {
        App app = new App(AppProps.builder().outdir(out.toString()).context(TestStacks.cdkJsonContext()).build());
        TuneladderStack stack = new TuneladderStack(app, "Tuneladder",
                StackProps.builder().env(TestStacks.ENVIRONMENT).build(), StackSettings.defaults(),
                TestStacks.REPOSITORY_ROOT);

        CloudAssembly assembly = app.synth();

        Path template = Path.of(assembly.getDirectory(), "Tuneladder.template.json");
        assertThat(template).isRegularFile();
        assertThat(Path.of(assembly.getDirectory(), "manifest.json")).isRegularFile();
        assertThat(Path.of(assembly.getDirectory(), "Tuneladder.assets.json")).content().contains(".jar")
                .contains(stack.trainingSource.asset.getAssetHash() + ".gz");
    }

    @Test
    void missingJarNamesTheBuildCommand(@TempDir Path emptyRoot) {
        App app = new App();

        assertThatThrownBy(() -> new TuneladderStack(app, "Tuneladder", StackProps.builder().build(),
                StackSettings.defaults(), emptyRoot))
                .hasMessageContaining("handlers jar")
                .hasMessageContaining("does not exist")
                .hasMessageContaining("mvn -B -ntp -pl functions/handlers -am install -DskipTests");
    }

    @Test
    void missingDefinitionNamesTheFile(@TempDir Path root) throws Exception {
        Path jar = root.resolve(TuneladderStack.HANDLERS_JAR);
        Files.createDirectories(jar.getParent());
        Files.copy(TestStacks.REPOSITORY_ROOT.resolve(TuneladderStack.HANDLERS_JAR).getParent()
                .resolve("original-tuneladder-handlers-0.1.0-SNAPSHOT.jar"), jar);
        Path scripts = Files.createDirectories(root.resolve(TrainingSource.SCRIPT_FOLDER));
        for (String name : TrainingSource.FILES) {
            Files.copy(TestStacks.REPOSITORY_ROOT.resolve(TrainingSource.SCRIPT_FOLDER).resolve(name),
                    scripts.resolve(name));
        }
        App app = new App(AppProps.builder().context(TestStacks.cdkJsonContext()).build());

        assertThatThrownBy(() -> new TuneladderStack(app, "Tuneladder", StackProps.builder().build(),
                StackSettings.defaults(), root))
                .hasMessageContaining("evaluation.asl.json")
                .hasMessageContaining("repositoryRoot");
    }
}
