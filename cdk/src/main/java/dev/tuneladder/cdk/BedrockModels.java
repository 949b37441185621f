package dev.tuneladder.cdk;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.Stack;

/** IAM resource ARNs for calling Bedrock models by id. */
final class BedrockModels {

    /**
     * Cross-Region inference profile ids start with a geography prefix, such as {@code us.} in
     * {@code us.anthropic.claude-3-5-haiku-20241022-v1:0}.
     */
    private static final Pattern INFERENCE_PROFILE = Pattern.compile("(us|eu|apac|us-gov|jp|au|ca|global)\\.(.+)");

    private BedrockModels() {
    }

    /**
     * Returns the resources that {@code bedrock:InvokeModel} (and so Converse) needs for a model id. A foundation
     * model id needs its model ARN in the stack's Region. An inference profile needs the profile's ARN and the
     * foundation model in every Region the profile routes to, hence the Region wildcard.
     */
    static List<String> invokeResources(Stack stack, String modelId) {
        String prefix = "arn:" + stack.getPartition() + ":bedrock:";
        Matcher profile = INFERENCE_PROFILE.matcher(modelId);
        if (profile.matches()) {
            return List.of(prefix + stack.getRegion() + ":" + stack.getAccount() + ":inference-profile/" + modelId,
                    prefix + "*::foundation-model/" + profile.group(2));
        }
        return List.of(prefix + stack.getRegion() + "::foundation-model/" + modelId);
    }
}
