package dev.tuneladder.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

class AwsClientFactoryTest {

    private static final AwsClientFactory LOOPBACK = new AwsClientFactory(Region.EU_CENTRAL_1,
            URI.create("http://127.0.0.1:9"), AnonymousCredentialsProvider.create(), Duration.ofSeconds(1),
            Duration.ofSeconds(5), 4);

    @Test
    void bedrockRuntime_usesRegionAndEndpointOverride() {
        try (BedrockRuntimeClient client = LOOPBACK.bedrockRuntime()) {
            assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_CENTRAL_1);
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:9"));
        }
    }

    @Test
    void constructor_rejectsInvalidSettings() {
        assertThatThrownBy(() -> LOOPBACK.withEndpointOverride(URI.create("ftp://127.0.0.1:9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an absolute http or https URL");
        assertThatThrownBy(() -> LOOPBACK.withCallTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("callTimeout must be positive");
        assertThatThrownBy(() -> new AwsClientFactory(Region.US_EAST_1, null, AnonymousCredentialsProvider.create(),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> AwsClientFactory.forRegion(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("us-east-1");
    }

    @Test
    void forRegion_hasNoOverrideAndDefaultLimits() {
        AwsClientFactory factory = AwsClientFactory.forRegion("us-west-2");

        assertThat(factory.region()).isEqualTo(Region.US_WEST_2);
        assertThat(factory.endpointOverride()).isNull();
        assertThat(factory.callTimeout()).isEqualTo(AwsClientFactory.DEFAULT_CALL_TIMEOUT);
        assertThat(factory.maxConnections()).isEqualTo(AwsClientFactory.DEFAULT_MAX_CONNECTIONS);
    }
}
