package dev.tuneladder.statemachines;

import dev.tuneladder.aws.AwsClientFactory;
import dev.tuneladder.aws.s3.S3BlobStore;
import dev.tuneladder.aws.s3.S3BlobStoreSettings;
import java.time.Duration;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An in-memory S3-compatible server (S3Proxy) on 127.0.0.1 with the run bucket that the handlers use. */
final class LoopbackS3 {

  /** The bucket that the handlers' DataBucketName placeholder names. */
  static final String BUCKET = LocalExecution.SUBSTITUTIONS.get("DataBucketName");

  private static final String ACCESS_KEY = "test-access-key";
  private static final String SECRET_KEY = "test-secret-key";

  private LoopbackS3() {}

  static S3ProxyExtension extension() {
    return S3ProxyExtension.builder().withCredentials(ACCESS_KEY, SECRET_KEY)
        .withBlobStoreProvider("transient").build();
  }

  /**
   * Returns a client that has created {@link #BUCKET}. S3Proxy does not decode the aws-chunked checksum trailers
   * that SDK 2.30 and later send by default, so the client sends checksums only where an operation requires one.
   */
  static S3Client clientWithBucket(S3ProxyExtension server) {
    AwsClientFactory factory = new AwsClientFactory(Region.US_EAST_1, server.getUri(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
        Duration.ofSeconds(2), Duration.ofSeconds(30), 8);
    S3Client client = S3BlobStore.clientBuilder(factory)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED).build();
    client.createBucket(request -> request.bucket(BUCKET));
    return client;
  }

  static S3BlobStore store(S3Client client) {
    return new S3BlobStore(client, S3BlobStoreSettings.forBucket(BUCKET));
  }
}
