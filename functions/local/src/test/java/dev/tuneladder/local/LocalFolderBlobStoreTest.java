package dev.tuneladder.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneladder.core.storage.BlobStore;
import dev.tuneladder.core.storage.BlobStoreContract;
import dev.tuneladder.core.storage.BlobStoreException;
import dev.tuneladder.core.storage.StoredObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path folder;

    @Override
    protected BlobStore createStore() {
        return new LocalFolderBlobStore(folder.resolve("store"));
    }

    @Test
    void write_key_createsFileAtNestedPath() throws IOException {
        store().write("runs/r1/metrics.json", "{}".getBytes(StandardCharsets.UTF_8));

        Path file = folder.resolve("store").resolve("runs").resolve("r1").resolve("metrics.json");
        assertThat(Files.readString(file)).isEqualTo("{}");
        assertThat(store().location("runs/r1/metrics.json")).isEqualTo(file.toString());
        assertThat(store().name()).isEqualTo(folder.resolve("store").toString());
    }

    @Test
    void write_failedContent_leavesNoTemporaryFile() throws IOException {
        assertThatThrownBy(() -> store().write("a.json", new FailingInputStream(new byte[100], 10)))
                .isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("after 10 bytes");

        try (Stream<Path> temp = Files.list(folder.resolve("store").resolve(LocalFolderBlobStore.TEMP_FOLDER))) {
            assertThat(temp).isEmpty();
        }
    }

    @Test
    void list_fileThatIsNoValidKey_isLeftOut() throws IOException {
        store().write("good.json", new byte[1]);
        Files.writeString(folder.resolve("store").resolve("bad\\name.json"), "x");

        assertThat(list("")).containsExactly("good.json");
    }

    @Test
    void list_filesWrittenOutsideStore_areListed() throws IOException {
        Path runs = Files.createDirectories(folder.resolve("store").resolve("runs"));
        Files.writeString(runs.resolve("config.json"), "{}");

        assertThat(list("runs/")).containsExactly("runs/config.json");
        assertThat(store().size("runs/config.json")).hasValue(2);
    }

    @Test
    void anyMethod_keyInTemporaryFolder_throwsIllegalArgument() {
        String key = LocalFolderBlobStore.TEMP_FOLDER + "/x.part";

        assertThatThrownBy(() -> store().write(key, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writes in progress");
        assertThatThrownBy(() -> store().open(key)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void write_keyBelowExistingObject_throwsNamingThatObject() {
        store().write("runs/r1", new byte[1]);

        assertThatThrownBy(() -> store().write("runs/r1/a/metrics.json", new byte[1]))
                .isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("an object has the key 'runs/r1'");
        assertThat(list("")).containsExactly("runs/r1");
    }

    @Test
    void write_keyThatIsPrefixOfOtherKeys_throwsNamingPrefix() {
        store().write("runs/r1/metrics.json", new byte[1]);

        assertThatThrownBy(() -> store().write("runs/r1", new byte[1]))
                .isInstanceOf(BlobStoreException.class)
                .hasMessageContaining("other keys start with 'runs/r1/'");
        assertThat(list("")).containsExactly("runs/r1/metrics.json");
    }

    @Test
    void delete_lastObject_removesEmptyFoldersButNotRoot() {
        store().write("runs/r1/outputs/a.json", new byte[1]);
        store().write("runs/keep.json", new byte[1]);

        store().delete("runs/r1/outputs/a.json");

        Path root = folder.resolve("store");
        assertThat(root.resolve("runs").resolve("r1")).doesNotExist();
        assertThat(root.resolve("runs").resolve("keep.json")).exists();
        store().delete("runs/keep.json");
        assertThat(root).isDirectory();
        assertThat(root.resolve("runs")).doesNotExist();
    }

    @Test
    void constructor_regularFile_throwsIllegalArgument() throws IOException {
        Path file = Files.writeString(folder.resolve("file.txt"), "x");

        assertThatThrownBy(() -> new LocalFolderBlobStore(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is a file, not a folder");
    }

    @Test
    void readOperations_missingRoot_findNothing() {
        BlobStore missing = new LocalFolderBlobStore(folder.resolve("absent"));

        assertThat(missing.exists("a.json")).isFalse();
        try (Stream<String> keys = missing.list("")) {
            assertThat(keys).isEmpty();
        }
        assertThat(folder.resolve("absent")).doesNotExist();
    }

    @Test
    void write_concurrentWritersToOneKey_leaveOneWholeObject() throws Exception {
        byte[] first = randomBytes(200_000, 1);
        byte[] second = randomBytes(200_000, 2);
        Thread other = new Thread(() -> store().write("shared.bin", second));

        other.start();
        StoredObject mine = store().write("shared.bin", first);
        other.join();

        String stored = sha256(store().readAllBytes("shared.bin"));
        assertThat(stored).isIn(mine.sha256(), sha256(second));
    }
}
