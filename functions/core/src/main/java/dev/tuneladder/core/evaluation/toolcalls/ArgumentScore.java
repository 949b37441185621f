package dev.tuneladder.core.evaluation.toolcalls;

import java.util.Objects;

/**
 * The embedding similarity of one produced argument to its reference value.
 *
 * @param referenceIndex the index of the reference call in its list
 * @param function the function both calls name
 * @param argument the argument name
 * @param cosine the cosine similarity of the two texts' embeddings, in [-1, 1]; 1 when the texts are equal after
 *     {@link AcceptedValues#normalize}, 0 when the produced call omits the argument
 */
public record ArgumentScore(int referenceIndex, String function, String argument, double cosine) {

    public ArgumentScore {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(argument, "argument");
        if (!(cosine >= -1 && cosine <= 1)) {
            throw new IllegalArgumentException("cosine of argument '" + argument + "' of '" + function + "' must be"
                    + " in [-1, 1], got " + cosine);
        }
    }
}
