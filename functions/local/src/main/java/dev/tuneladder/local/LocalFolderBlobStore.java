package dev.tuneladder.local;

import dev.tuneladder.core.storage.BlobKeys;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import dev.tuneladder.core.storage.BlobStoreException;
import dev.tuneladder.core.storage.BlobWriter;
import dev.tuneladder.core.storage.DigestingOutputStream;
import dev.tuneladder.core.storage.StoredObject;
import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BlobStore} in a folder on disk: the key {@code runs/r1/metrics.json} is the file
 * {@code runs/r1/metrics.json} under the folder, with the OS's separator on disk and '/' in keys.
 *
 * <p>A write goes to a temporary file in {@value #TEMP_FOLDER} under the folder, is forced to disk, and is then
 * renamed over the target in one atomic move, so readers never see a partial file. That folder is reserved: no key
 * may start with it, and listings leave it out. Deleting an object also deletes the folders it leaves empty, as
 * S3 has no folders of its own.
 *
 * <p>One difference from S3 remains: a folder cannot hold a file and a subfolder of the same name, so the keys
 * {@code a} and {@code a/b} cannot both exist here, and the second write fails with a message that names the
 * first.
 *
 * <p>Listing walks the folder below the prefix's last '/' and sorts the keys in memory, which suits local runs
 * (thousands of objects) but not millions. It does not follow symbolic links, though reads do. Instances are
 * safe for use by several threads at once.
 */
public final class LocalFolderBlobStore implements BlobStore {

    /** The folder under the root for writes in progress. */
    public static final String TEMP_FOLDER = ".blobstore-tmp";

    /** The maximum attempts to create a key's folders and move into them while deletes prune empty folders. */
    private static final int MOVE_ATTEMPTS = 3;

    private static final int BUFFER_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(LocalFolderBlobStore.class);

    private final Path root;

    /**
     * @param root the folder; it is created on the first write when missing
     * @throws IllegalArgumentException when {@code root} exists and is not a folder
     */
    public LocalFolderBlobStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
        if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
            throw new IllegalArgumentException("blob store folder " + this.root
                    + " is a file, not a folder: give a folder path, or one that does not exist yet");
        }
    }

    /** Returns the folder's absolute path. */
    @Override
    public String name() {
        return root.toString();
    }

    /** Returns the file's absolute path, with the OS's separator. */
    @Override
    public String location(String key) {
        return pathOf(key).toString();
    }

    @Override
    public InputStream open(String key) {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            throw new BlobNotFoundException(name(), key);
        }
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new BlobNotFoundException(name(), key);
        } catch (IOException e) {
            throw new BlobStoreException("failed to open " + path + ": " + e, e);
        }
    }

    @Override
    public StoredObject write(String key, BlobWriter content) {
        Path target = pathOf(key);
        Path temp = createTempFile(key);
        DigestingOutputStream output = null;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                    OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES)) {
                output = new DigestingOutputStream(file);
                content.writeTo(output);
                file.flush();
                // Forcing before the rename means a crash leaves the old file or the whole new one.
                channel.force(true);
            }
            StoredObject stored = output.storedObject(key);
            moveIntoPlace(temp, target, key);
            return stored;
        } catch (IOException e) {
            long written = output == null ? 0 : output.bytes();
            throw new BlobStoreException("failed to write " + target + " after " + written + " bytes: " + e
                    + ". Nothing was stored under this key.", e);
        } finally {
            deleteTemp(temp);
        }
    }

    @Override
    public Stream<String> list(String prefix) {
        BlobKeys.requireValidPrefix(prefix);
        int lastSlash = prefix.lastIndexOf('/');
        Path start = lastSlash < 0 ? root : folderOf(prefix.substring(0, lastSlash));
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return Stream.empty();
        }
        List<String> keys = new ArrayList<>();
        try {
            Files.walkFileTree(start, new KeyCollector(prefix, keys));
        } catch (IOException e) {
            throw new BlobStoreException("failed to list " + start + " for prefix '" + prefix + "': " + e, e);
        }
        keys.sort(BlobKeys.UTF8_ORDER);
        return keys.stream();
    }

    @Override
    public OptionalLong size(String key) {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Files.size(path));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new BlobStoreException("failed to read the size of " + path + ": " + e, e);
        }
    }

    @Override
    public void delete(String key) {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new BlobStoreException("failed to delete " + path + ": " + e, e);
        }
        pruneEmptyFolders(path.getParent());
    }

    private Path pathOf(String key) {
        BlobKeys.requireValidKey(key);
        if (key.equals(TEMP_FOLDER) || key.startsWith(TEMP_FOLDER + "/")) {
            throw new IllegalArgumentException("invalid key '" + key + "': keys must not start with " + TEMP_FOLDER
                    + ", the folder that holds writes in progress; choose another first segment");
        }
        return resolve(key, "key");
    }

    private Path folderOf(String validPrefix) {
        return resolve(validPrefix, "prefix");
    }

    private Path resolve(String relative, String kind) {
        Path path = root;
        try {
            for (String segment : relative.split("/")) {
                path = path.resolve(segment);
            }
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid " + kind + " '" + relative + "': this OS cannot name a file "
                    + e.getInput() + " (" + e.getReason() + "); choose a key without that character", e);
        }
        return path;
    }

    private Path createTempFile(String key) {
        Path tempFolder = root.resolve(TEMP_FOLDER);
        try {
            Files.createDirectories(tempFolder);
            return Files.createTempFile(tempFolder, "write-", ".part");
        } catch (IOException e) {
            throw new BlobStoreException("failed to create a temporary file in " + tempFolder + " to write '" + key
                    + "': " + e + ". Check that the folder is writable.", e);
        }
    }

    private void moveIntoPlace(Path temp, Path target, String key) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(target.getParent());
            } catch (IOException e) {
                String objectAbove = objectAbove(key);
                if (objectAbove != null) {
                    throw conflict(key, "an object has the key '" + objectAbove + "'");
                }
                throw e;
            }
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw conflict(key, "other keys start with '" + key + "/'");
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException e) {
                // A delete pruned the folder, now empty, between its creation and the move: create it again.
                if (attempt == MOVE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private BlobStoreException conflict(String key, String reason) {
        return new BlobStoreException("cannot write '" + key + "' in " + root + ": " + reason
                + ", and a local folder cannot hold a file and a folder of one name. Delete that object or choose"
                + " another key.");
    }

    /** Returns the first prefix of {@code key} that is a file, or null when none is. */
    private String objectAbove(String key) {
        String[] segments = key.split("/");
        Path path = root;
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < segments.length - 1; i++) {
            path = path.resolve(segments[i]);
            prefix.append(i == 0 ? "" : "/").append(segments[i]);
            if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                return prefix.toString();
            }
        }
        return null;
    }

    private void pruneEmptyFolders(Path folder) {
        Path current = folder;
        while (current != null && !current.equals(root) && current.startsWith(root)) {
            try {
                Files.delete(current);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                // The object is gone; an empty folder left behind only costs a step in later listings.
                LOG.debug("failed to delete the empty folder {}: {}", current, e.toString());
                return;
            }
            current = current.getParent();
        }
    }

    private static void deleteTemp(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // The write itself has succeeded or failed already; listings never show the leftover file.
            LOG.warn("failed to delete the temporary file {}: {}", temp, e.toString());
        }
    }

    /** Collects the keys of regular files under the start folder that begin with the prefix. */
    private final class KeyCollector extends SimpleFileVisitor<Path> {

        private final String prefix;
        private final List<String> keys;

        KeyCollector(String prefix, List<String> keys) {
            this.prefix = prefix;
            this.keys = keys;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
            boolean temp = folder.getParent() != null && folder.getParent().equals(root)
                    && folder.getFileName().toString().equals(TEMP_FOLDER);
            return temp ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (attributes.isRegularFile()) {
                String key = keyOf(file);
                if (key.startsWith(prefix) && BlobKeys.isValidKey(key)) {
                    keys.add(key);
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            // A concurrent delete may remove a file or an emptied folder during the walk.
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }

        private String keyOf(Path file) {
            String relative = root.relativize(file).toString();
            return File.separatorChar == '/' ? relative : relative.replace(File.separatorChar, '/');
        }
    }
}
