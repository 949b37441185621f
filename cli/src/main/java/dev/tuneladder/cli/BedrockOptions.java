package dev.tuneladder.cli;

import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Region and optional endpoint override of a command's Bedrock Runtime calls. The model of
 * {@code --model bedrock:...} and the embedder of {@code --embedder bedrock:...} both use them.
 */
final class BedrockOptions {

    /** Environment variables read for the Bedrock Region when {@code --region} is absent, in order. */
    static final String[] REGION_VARIABLES = {"AWS_REGION", "AWS_DEFAULT_REGION"};

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS Region of Bedrock, such as us-east-1. Default: the AWS_REGION or AWS_DEFAULT_REGION "
                    + "environment variable.")
    String region;

    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "Bedrock Runtime endpoint to send to instead of the Region's public one, such as a VPC "
                    + "interface endpoint's URL.")
    URI endpointUrl;

    /** Returns {@code --region}, else the first Region environment variable that is set, else null. */
    String regionOrEnvironment() {
        if (region != null && !region.isBlank()) {
            return region.strip();
        }
        for (String variable : REGION_VARIABLES) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    /**
     * Returns the Region for a Bedrock client.
     *
     * @param option the option that sends to Bedrock, named in the error, such as {@code --embedder}
     * @throws IllegalArgumentException when neither {@code --region} nor a Region variable is set
     */
    String requireRegion(String option) {
        String value = regionOrEnvironment();
        if (value == null) {
            throw new IllegalArgumentException("no AWS Region for the Bedrock calls of " + option + ": give --region,"
                    + " such as --region us-east-1, or set AWS_REGION");
        }
        return value;
    }

    /** Rejects {@code --endpoint-url} when the command makes no Bedrock calls, so the URL is not silently ignored. */
    void rejectEndpointWithoutBedrock(boolean usesBedrock) {
        if (!usesBedrock && endpointUrl != null) {
            throw new IllegalArgumentException("--endpoint-url applies to Bedrock, and this command makes no Bedrock"
                    + " calls: it goes with --model bedrock:MODEL_ID or --embedder bedrock:MODEL_ID. For an"
                    + " OpenAI-compatible server put its URL in --model openai:BASE_URL#MODEL");
        }
    }

    /** Adds the Region and endpoint override to the options recorded in config.json. */
    void describeInto(Map<String, Object> options) {
        options.put("region", regionOrEnvironment());
        options.put("endpointUrl", endpointUrl == null ? null : endpointUrl.toString());
    }
}
