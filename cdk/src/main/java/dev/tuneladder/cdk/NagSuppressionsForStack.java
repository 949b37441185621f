package dev.tuneladder.cdk;

/** The cdk-nag AwsSolutions findings the stack accepts, each with its reason. */
final class NagSuppressionsForStack {

    private NagSuppressionsForStack() {
    }

    static void apply(TuneladderStack stack) {
    }
}
