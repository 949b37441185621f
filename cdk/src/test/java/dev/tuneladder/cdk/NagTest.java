package dev.tuneladder.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

class NagTest {

    @Test
    void serverlessStackHasNoUnsuppressedErrors() {
        List<SynthesisMessage> errors = Annotations.fromStack(TestStacks.serverless())
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(errors.stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList()).isEmpty();
    }

    @Test
    void domainStackHasNoUnsuppressedErrors() {
        List<SynthesisMessage> errors = Annotations.fromStack(TestStacks.domain())
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(errors.stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList()).isEmpty();
    }

    @Test
    void baseModelPrefixStackHasNoUnsuppressedErrors() {
        List<SynthesisMessage> errors = Annotations.fromStack(TestStacks.baseModelPrefix())
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(errors.stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList()).isEmpty();
    }

    @Test
    void evaluationModelsStackHasNoUnsuppressedErrors() {
        List<SynthesisMessage> errors = Annotations.fromStack(TestStacks.evaluationModels())
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(errors.stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList()).isEmpty();
    }

    @Test
    void environmentAgnosticStackHasNoUnsuppressedErrors() {
        List<SynthesisMessage> errors = Annotations.fromStack(TestStacks.withoutEnvironment())
                .findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        assertThat(errors.stream().map(m -> m.getId() + " " + m.getEntry().getData()).toList()).isEmpty();
    }
}
