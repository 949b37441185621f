package dev.tuneladder.aws.s3;

import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.core.storage.BlobKeys;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import dev.tuneladder.core.storage.BlobStoreException;
import dev.tuneladder.core.storage.BlobWriter;
import dev.tuneladder.core.storage.DigestingOutputStream;
import dev.tuneladder.core.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link BlobStore} in an S3 bucket, under an optional key prefix.
 *
 * <p>Reads stream from GetObject. Writes of up to {@link S3BlobStoreSettings#partSizeBytes()} go in one
 * PutObject; longer ones in a multipart upload of parts of that size, aborted when the write fails so that no
 * parts are left behind. Both request the configured server-side encryption. Listings page through
 * ListObjectsV2 lazily, as the caller consumes the stream.
 *
 * <p>The client makes one attempt per call when it comes from {@link AwsClientFactory}, as that factory's
 * documentation explains; a failed call surfaces as {@link BlobStoreException}. Object contents are never
 * logged. Instances are safe for use by several threads at once, as is {@link S3Client}.
 */
public final class S3BlobStore implements BlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3BlobStore.class);

    private final S3Client client;
    private final boolean ownsClient;
    private final S3BlobStoreSettings settings;
    private final String name;

    /**
     * Returns a store over a client that the caller owns and closes; {@link #close()} leaves it open.
     */
    public S3BlobStore(S3Client client, S3BlobStoreSettings settings) {
        this(client, false, settings);
    }

    private S3BlobStore(S3Client client, boolean ownsClient, S3BlobStoreSettings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.name = "s3://" + settings.bucket() + "/" + settings.keyPrefix();
    }

    /** Returns a store with its own client, built by {@link #clientBuilder}; {@link #close()} closes it. */
    public static S3BlobStore create(AwsClientFactory factory, S3BlobStoreSettings settings) {
        return new S3BlobStore(clientBuilder(factory).build(), true, settings);
    }

    /**
     * Returns an S3 client builder with the factory's settings. With an endpoint override it uses path-style
     * URLs ({@code http://host/bucket/key}), because S3-compatible servers on a single host have no per-bucket
     * DNS names.
     */
    public static S3ClientBuilder clientBuilder(AwsClientFactory factory) {
        return factory.configure(S3Client.builder()).forcePathStyle(factory.endpointOverride() != null);
    }

    /** Returns the settings the store was built with. */
    public S3BlobStoreSettings settings() {
        return settings;
    }

    /** Returns {@code s3://bucket/prefix/}. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String location(String key) {
        return name + BlobKeys.requireValidKey(key);
    }

    @Override
    public InputStream open(String key) {
        String objectKey = objectKey(key);
        try {
            return client.getObject(GetObjectRequest.builder().bucket(settings.bucket()).key(objectKey).build());
        } catch (SdkException e) {
            if (isNotFound(e)) {
                throw new BlobNotFoundException(name, key);
            }
            throw failure("read", key, e);
        }
    }

    @Override
    public StoredObject write(String key, BlobWriter content) {
        S3Upload upload = new S3Upload(client, settings, objectKey(key), location(key));
        DigestingOutputStream output = new DigestingOutputStream(upload);
        try {
            content.writeTo(output);
            upload.finish();
        } catch (IOException e) {
            abort(upload, key, e);
            throw new BlobStoreException("failed to write " + location(key) + " after " + output.bytes()
                    + " bytes: " + e + ". Nothing was stored under this key.", e);
        } catch (SdkException e) {
            abort(upload, key, e);
            throw failure("write", key, e);
        } catch (RuntimeException | Error e) {
            abort(upload, key, e);
            throw e;
        }
        return output.storedObject(key);
    }

    @Override
    public Stream<String> list(String prefix) {
        BlobKeys.requireValidPrefix(prefix);
        ListObjectsV2Request request = ListObjectsV2Request.builder()
                .bucket(settings.bucket())
                .prefix(settings.keyPrefix() + prefix)
                .maxKeys(settings.listPageSize())
                .build();
        Iterator<S3Object> objects = new ListingIterator(client.listObjectsV2Paginator(request).contents(), prefix);
        int prefixLength = settings.keyPrefix().length();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(objects, Spliterator.ORDERED
                        | Spliterator.NONNULL | Spliterator.DISTINCT), false)
                .map(object -> object.key().substring(prefixLength))
                .filter(BlobKeys::isValidKey);
    }

    @Override
    public OptionalLong size(String key) {
        String objectKey = objectKey(key);
        try {
            return OptionalLong.of(client.headObject(HeadObjectRequest.builder()
                    .bucket(settings.bucket())
                    .key(objectKey)
                    .build()).contentLength());
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return OptionalLong.empty();
            }
            throw failure("read the size of", key, e);
        }
    }

    /** Deletes the object. In a versioned bucket this adds a delete marker and keeps earlier versions. */
    @Override
    public void delete(String key) {
        String objectKey = objectKey(key);
        try {
            client.deleteObject(DeleteObjectRequest.builder().bucket(settings.bucket()).key(objectKey).build());
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    /** Closes the client when this store built it. */
    @Override
    public void close() {
        if (ownsClient) {
            client.close();
        }
    }

    private String objectKey(String key) {
        return settings.keyPrefix() + BlobKeys.requireValidKey(key);
    }

    private void abort(S3Upload upload, String key, Throwable cause) {
        try {
            upload.abort();
        } catch (SdkException e) {
            cause.addSuppressed(e);
            // The caller gets the write's failure, so this line is the only record of the parts left in S3. A bucket
            // lifecycle rule for incomplete multipart uploads removes them.
            LOG.warn("failed to abort multipart upload {} of {}: {}", upload.uploadId(), location(key),
                    e.toString());
        }
    }

    private BlobStoreException failure(String action, String key, SdkException e) {
        return new BlobStoreException("failed to " + action + " " + location(key) + ": " + e.getMessage()
                + ". Check the bucket name, the credentials' permissions and the network path to S3.", e);
    }

    /**
     * Returns whether the key names no object. A missing bucket is a 404 as well, but a configuration error,
     * so it is not reported as a missing object.
     */
    private static boolean isNotFound(SdkException e) {
        if (e instanceof NoSuchBucketException) {
            return false;
        }
        return e instanceof NoSuchKeyException || e instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    /**
     * Wraps the SDK's paginating iterator so that a failed page surfaces as a {@link BlobStoreException}. The
     * first page is requested on the first {@link #hasNext()}, not when the listing is created.
     */
    private final class ListingIterator implements Iterator<S3Object> {

        private final SdkIterable<S3Object> objects;
        private final String prefix;
        private Iterator<S3Object> pages;

        ListingIterator(SdkIterable<S3Object> objects, String prefix) {
            this.objects = objects;
            this.prefix = prefix;
        }

        @Override
        public boolean hasNext() {
            try {
                if (pages == null) {
                    pages = objects.iterator();
                }
                return pages.hasNext();
            } catch (SdkException e) {
                throw listFailure(e);
            }
        }

        @Override
        public S3Object next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more keys under " + name + prefix);
            }
            try {
                return pages.next();
            } catch (SdkException e) {
                throw listFailure(e);
            }
        }

        private BlobStoreException listFailure(SdkException e) {
            return new BlobStoreException("failed to list " + name + prefix + ": " + e.getMessage()
                    + ". Check the bucket name, the credentials' permissions and the network path to S3.", e);
        }
    }
}
