package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** Checks the stack's function table against the handlers jar that the stack deploys. */
class HandlersJarTest {

    private static final Path JAR = TestStacks.REPOSITORY_ROOT.resolve(TuneladderStack.HANDLERS_JAR);

    @Test
    void everyHandlerClassIsInJar() throws IOException {
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            for (HandlerFunction spec : HandlerFunction.values()) {
                String entry = HandlerFunction.HANDLER_PACKAGE.replace('.', '/') + "/" + spec.handlerClass + ".class";
                assertThat(jar.getEntry(entry)).as("%s in %s", entry, JAR).isNotNull();
            }
        }
    }

    @Test
    void everyEnvironmentNameIsReadByHandlerConfig() throws IOException {
        String constants;
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            ZipEntry config = jar.getEntry("dev/tuneladder/handlers/HandlerConfig.class");
            assertThat(config).as("HandlerConfig.class in %s", JAR).isNotNull();
            // Class-file string constants are modified UTF-8, which equals ASCII for these names.
            constants = new String(jar.getInputStream(config).readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        for (String name : HandlerEnvironment.ALL) {
            assertThat(constants).as("HandlerConfig constant %s", name).contains(name);
        }
    }

    @Test
    void exportFolderMatchesTrainingRoleGrant() throws IOException {
        String constants;
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            ZipEntry export = jar.getEntry("dev/tuneladder/handlers/ExportTrainingDataHandler.class");
            assertThat(export).as("ExportTrainingDataHandler.class in %s", JAR).isNotNull();
            constants = new String(jar.getInputStream(export).readAllBytes(), StandardCharsets.ISO_8859_1);
        }

        assertThat(constants).as("ExportTrainingDataHandler's folder constant").contains(TrainingRoles.TRAINING_DATA);
    }
}
