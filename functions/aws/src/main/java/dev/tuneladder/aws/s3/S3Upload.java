package dev.tuneladder.aws.s3;

import dev.tuneladder.core.storage.BlobStoreException;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * One object write of unknown length. Bytes collect in a buffer of up to one part. A body that fits in one part
 * goes in a single PutObject at {@link #finish()}; a longer one starts a multipart upload when the buffer first
 * overflows, and uploads each full part as it goes, so a write keeps at most one part in memory.
 *
 * <p>{@link #close()} does nothing: the store calls {@link #finish()} or {@link #abort()}. Not thread-safe.
 */
final class S3Upload extends OutputStream {

    private static final Logger LOG = LoggerFactory.getLogger(S3Upload.class);

    private static final int INITIAL_BUFFER_BYTES = 64 * 1024;

    // No charset parameters: JSON is UTF-8 by definition (RFC 8259), the HTML reports declare theirs in a meta
    // tag, and S3Proxy 2.6.0 (Jetty) rewrites most "; charset=" values after they were signed, which fails SigV4.
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "json", "application/json",
            "jsonl", "application/x-ndjson",
            "csv", "text/csv",
            "md", "text/markdown",
            "txt", "text/plain",
            "html", "text/html",
            "svg", "image/svg+xml",
            "gz", "application/gzip");

    private final S3Client client;
    private final S3BlobStoreSettings settings;
    private final String objectKey;
    private final String location;
    private final String contentType;
    private final List<CompletedPart> parts = new ArrayList<>();
    private byte[] buffer = new byte[INITIAL_BUFFER_BYTES];
    private int buffered;
    private String uploadId;

    S3Upload(S3Client client, S3BlobStoreSettings settings, String objectKey, String location) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.objectKey = Objects.requireNonNull(objectKey, "objectKey");
        this.location = Objects.requireNonNull(location, "location");
        this.contentType = contentTypeOf(objectKey);
    }

    @Override
    public void write(int b) {
        reserve(1);
        buffer[buffered++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        int position = offset;
        int remaining = length;
        while (remaining > 0) {
            int count = reserve(remaining);
            System.arraycopy(bytes, position, buffer, buffered, count);
            buffered += count;
            position += count;
            remaining -= count;
        }
    }

    /** Does nothing; see the class documentation. */
    @Override
    public void close() {
    }

    /** Stores the object: one PutObject, or the last part and CompleteMultipartUpload. */
    void finish() {
        if (uploadId == null) {
            client.putObject(putRequest(), RequestBody.fromInputStream(bufferContent(), buffered));
            return;
        }
        uploadBufferedPart();
        client.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                .bucket(settings.bucket())
                .key(objectKey)
                .uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                .build());
        LOG.debug("completed multipart upload of {} in {} parts", location, parts.size());
    }

    /**
     * Aborts the multipart upload, if one was started, so that S3 discards its parts; S3 keeps and bills the
     * parts of an upload that is neither completed nor aborted.
     */
    void abort() {
        if (uploadId == null) {
            return;
        }
        client.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                .bucket(settings.bucket())
                .key(objectKey)
                .uploadId(uploadId)
                .build());
        LOG.debug("aborted multipart upload {} of {}", uploadId, location);
    }

    /** Returns the id of the multipart upload, or null while the body fits in one part. */
    String uploadId() {
        return uploadId;
    }

    /**
     * Makes room for up to {@code requested} bytes and returns how many fit: grows the buffer up to one part, or
     * uploads the full buffer as a part.
     */
    private int reserve(int requested) {
        int partSize = settings.partSizeBytes();
        if (buffered == partSize) {
            uploadBufferedPart();
        }
        if (buffer.length - buffered < requested && buffer.length < partSize) {
            long grown = Math.max((long) buffer.length * 2, (long) buffered + requested);
            buffer = Arrays.copyOf(buffer, (int) Math.min(grown, partSize));
        }
        return Math.min(requested, buffer.length - buffered);
    }

    private void uploadBufferedPart() {
        if (uploadId == null) {
            uploadId = client.createMultipartUpload(createRequest()).uploadId();
            LOG.debug("started multipart upload {} of {}", uploadId, location);
        }
        if (parts.size() == S3BlobStoreSettings.MAX_PARTS) {
            throw new BlobStoreException("failed to write " + location + ": it is larger than "
                    + S3BlobStoreSettings.MAX_PARTS + " parts of " + settings.partSizeBytes()
                    + " bytes, the most S3 takes in one upload. Raise partSizeBytes.");
        }
        int partNumber = parts.size() + 1;
        String eTag = client.uploadPart(UploadPartRequest.builder()
                        .bucket(settings.bucket())
                        .key(objectKey)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .contentLength((long) buffered)
                        .build(),
                RequestBody.fromInputStream(bufferContent(), buffered))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
        buffered = 0;
    }

    private ByteArrayInputStream bufferContent() {
        return new ByteArrayInputStream(buffer, 0, buffered);
    }

    private PutObjectRequest putRequest() {
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(settings.bucket())
                .key(objectKey)
                .contentType(contentType)
                .contentLength((long) buffered);
        S3Encryption encryption = settings.encryption();
        switch (encryption.mode()) {
            case SSE_S3 -> request.serverSideEncryption(ServerSideEncryption.AES256);
            case SSE_KMS -> request.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(encryption.kmsKeyId());
            case BUCKET_DEFAULT -> {
            }
        }
        return request.build();
    }

    private CreateMultipartUploadRequest createRequest() {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(settings.bucket())
                .key(objectKey)
                .contentType(contentType);
        S3Encryption encryption = settings.encryption();
        switch (encryption.mode()) {
            case SSE_S3 -> request.serverSideEncryption(ServerSideEncryption.AES256);
            case SSE_KMS -> request.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(encryption.kmsKeyId());
            case BUCKET_DEFAULT -> {
            }
        }
        return request.build();
    }

    /** Returns a content type from the key's extension, so that reports open in a browser straight from S3. */
    static String contentTypeOf(String key) {
        int slash = key.lastIndexOf('/');
        int dot = key.lastIndexOf('.');
        if (dot <= slash + 1) {
            return "application/octet-stream";
        }
        String extension = key.substring(dot + 1).toLowerCase(Locale.ROOT);
        return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
