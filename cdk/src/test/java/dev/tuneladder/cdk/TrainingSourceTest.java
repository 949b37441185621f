package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;

class TrainingSourceTest {

    private static final Path SCRIPT_FOLDER = TestStacks.REPOSITORY_ROOT.resolve(TrainingSource.SCRIPT_FOLDER);

    @Test
    void archiveIsByteIdenticalAcrossSyntheses(@TempDir Path first, @TempDir Path second) throws IOException {
        Synthesis one = synthesize(first);
        Files.delete(TestStacks.REPOSITORY_ROOT.resolve(TrainingSource.ARCHIVE_FOLDER)
                .resolve(TrainingSource.ARCHIVE_NAME));
        Synthesis two = synthesize(second);

        assertThat(two.assetHash()).isEqualTo(one.assetHash());
        assertThat(two.archive()).isEqualTo(one.archive());
    }

    @Test
    void archiveContainsExactlyScriptFiles(@TempDir Path out) throws IOException {
        byte[] archive = synthesize(out).archive();

        List<TarArchiveEntry> entries = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                entries.add(entry);
                contents.add(tar.readAllBytes());
            }
        }

        assertThat(entries).extracting(TarArchiveEntry::getName).containsExactly("requirements.txt", "train.py");
        for (int i = 0; i < entries.size(); i++) {
            TarArchiveEntry entry = entries.get(i);
            assertThat(entry.isFile()).as("%s is a regular file", entry.getName()).isTrue();
            assertThat(entry.getMode()).as("mode of %s", entry.getName()).isEqualTo(0644);
            assertThat(entry.getLongUserId()).as("uid of %s", entry.getName()).isZero();
            assertThat(entry.getLongGroupId()).as("gid of %s", entry.getName()).isZero();
            assertThat(entry.getUserName()).as("user of %s", entry.getName()).isEqualTo("root");
            assertThat(entry.getGroupName()).as("group of %s", entry.getName()).isEqualTo("root");
            assertThat(entry.getModTime().getTime()).as("mtime of %s", entry.getName())
                    .isEqualTo(SourceArchive.MTIME * 1000);
            assertThat(contents.get(i)).as("contents of %s", entry.getName())
                    .isEqualTo(Files.readAllBytes(SCRIPT_FOLDER.resolve(entry.getName())));
        }
    }

    @Test
    void archiveIsGzipWithoutTimestampOrName(@TempDir Path out) throws IOException {
        byte[] archive = synthesize(out).archive();

        assertThat(Arrays.copyOfRange(archive, 0, 2)).containsExactly(0x1f, 0x8b);
        assertThat(archive[3]).as("gzip FLG: no file name or comment").isZero();
        assertThat(Arrays.copyOfRange(archive, 4, 8)).as("gzip MTIME").containsOnly(0);
    }

    @Test
    void tarEntriesSortedWithValidChecksums() throws IOException {
        TreeMap<String, byte[]> files = new TreeMap<>();
        files.put("b.txt", "second".getBytes(StandardCharsets.UTF_8));
        files.put("a.txt", new byte[0]);
        files.put("c.bin", new byte[513]);

        List<String> names = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new ByteArrayInputStream(SourceArchive.tarGz(files))))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                assertThat(entry.isCheckSumOK()).as("checksum of %s", entry.getName()).isTrue();
                names.add(entry.getName());
                sizes.add(entry.getSize());
            }
        }

        assertThat(names).containsExactly("a.txt", "b.txt", "c.bin");
        assertThat(sizes).containsExactly(0L, 6L, 513L);
    }

    @Test
    void tarGzIsPaddedToWholeRecords() throws IOException {
        TreeMap<String, byte[]> files = new TreeMap<>();
        files.put("train.py", "print('x')\n".getBytes(StandardCharsets.UTF_8));

        byte[] tar;
        try (InputStream gzip = new GzipCompressorInputStream(new ByteArrayInputStream(
                SourceArchive.tarGz(files)))) {
            tar = gzip.readAllBytes();
        }

        assertThat(tar.length % 10240).isZero();
    }

    @Test
    void tarGzRejectsNameWithFolder() {
        TreeMap<String, byte[]> files = new TreeMap<>();
        files.put("lora/train.py", new byte[1]);

        assertThatThrownBy(() -> SourceArchive.tarGz(files))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lora/train.py'")
                .hasMessageContaining("without '/'");
    }

    @Test
    void missingScriptNamesTheFile(@TempDir Path root) {
        assertThatThrownBy(() -> TrainingSource.write(root.resolve(TrainingSource.SCRIPT_FOLDER),
                root.resolve(TrainingSource.ARCHIVE_FOLDER)))
                .hasMessageContaining(root.resolve("training/lora/requirements.txt").toString())
                .hasMessageContaining("repositoryRoot");
    }

    /** The asset hash and the staged archive of one synthesis. */
    private record Synthesis(String assetHash, byte[] archive) {
    }

    /** Synthesizes a stack that holds only the training source into {@code out} and reads the staged archive. */
    private static Synthesis synthesize(Path out) throws IOException {
        App app = new App(AppProps.builder().outdir(out.toString()).build());
        Stack stack = new Stack(app, "Source", StackProps.builder().env(TestStacks.ENVIRONMENT).build());
        TrainingSource source = new TrainingSource(stack, "TrainingSource", TestStacks.REPOSITORY_ROOT);
        app.synth();

        List<Path> staged;
        try (Stream<Path> files = Files.list(out)) {
            staged = files.filter(file -> file.getFileName().toString().startsWith("asset.")).toList();
        }
        assertThat(staged).as("staged assets in %s", out).hasSize(1);
        return new Synthesis(source.asset.getAssetHash(), Files.readAllBytes(staged.get(0)));
    }
}
