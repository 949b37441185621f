package dev.tuneladder.core.training;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Lookup of a job state by the status value that an AWS API returns. */
final class JobStates {

    private JobStates() {
    }

    /**
     * Returns the state whose API value is {@code value}.
     *
     * @param kind names the status in the error, such as {@code training job status}
     * @throws IllegalArgumentException for a value this version does not know, naming the known ones
     */
    static <S> S fromApiValue(S[] states, Function<S, String> apiValue, String value, String kind) {
        Objects.requireNonNull(value, "value");
        for (S state : states) {
            if (apiValue.apply(state).equals(value)) {
                return state;
            }
        }
        throw new IllegalArgumentException(kind + " '" + value + "' is not one of "
                + Arrays.stream(states).map(apiValue).collect(Collectors.joining(", ")));
    }
}
