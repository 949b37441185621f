package dev.tuneladder.core.planner;

/** The built-in system prompts of the routing planner, shared by the command line and the fine-tuning export. */
public final class RoutingPrompts {

    /**
     * The built-in routing prompt. The retrieved examples replace {@value PromptTemplate#EXAMPLES_PLACEHOLDER};
     * with k = 0 the list stays empty, so zero-shot and few-shot runs send the same template and differ only in
     * the examples.
     */
    public static final PromptTemplate BUILT_IN = new PromptTemplate("routing-built-in", """
            You are the routing stage of a customer-service agent. Read the customer's latest message and call the \
            route tool exactly once, with the intent that matches the message best. Use only intents from the \
            tool's list, and do not answer the customer.

            Earlier requests with their correct call, most similar first (none when the list is empty):
            {{examples}}""");

    private RoutingPrompts() {
    }
}
