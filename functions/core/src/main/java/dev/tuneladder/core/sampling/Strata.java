package dev.tuneladder.core.sampling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.data.Interaction;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Reads the stratum of an interaction from the field named by a sampler's {@code stratifyBy}: {@code intent}, or
 * {@code metadata.<key>} where the key is everything after the first dot (no nested paths).
 */
public final class Strata {

    /**
     * Stratum of rows whose field is missing, null or blank. A row whose value is literally {@code (none)} lands in
     * the same stratum.
     */
    public static final String MISSING = "(none)";

    static final String INTENT = "intent";
    static final String METADATA_PREFIX = "metadata.";

    private Strata() {
    }

    /**
     * Checks a {@code stratifyBy} value.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static void validateField(String stratifyBy) {
        if (stratifyBy == null) {
            throw new IllegalArgumentException("stratifyBy is missing: use 'intent' or 'metadata.<key>'");
        }
        boolean metadataKey = stratifyBy.startsWith(METADATA_PREFIX)
                && !stratifyBy.substring(METADATA_PREFIX.length()).isBlank();
        if (!INTENT.equals(stratifyBy) && !metadataKey) {
            throw new IllegalArgumentException("stratifyBy '" + stratifyBy
                    + "' is invalid: use 'intent' or 'metadata.<key>', for example 'metadata.channel'");
        }
    }

    /**
     * Returns the stratum of {@code interaction}: the intent, or the metadata value as text. A JSON object or
     * array value becomes its compact JSON text. A missing, null or blank value gives {@link #MISSING}.
     */
    public static String valueOf(Interaction interaction, String stratifyBy) {
        String value;
        if (INTENT.equals(stratifyBy)) {
            value = interaction.intent();
        } else {
            JsonNode node = interaction.metadata().get(stratifyBy.substring(METADATA_PREFIX.length()));
            if (node == null || node.isNull() || node.isMissingNode()) {
                value = null;
            } else {
                value = node.isValueNode() ? node.asText() : node.toString();
            }
        }
        return value == null || value.isBlank() ? MISSING : value;
    }

    /** Returns the input indices of each stratum, strata sorted by name and indices ascending. */
    public static SortedMap<String, List<Integer>> group(List<Interaction> interactions, String stratifyBy) {
        SortedMap<String, List<Integer>> strata = new TreeMap<>();
        for (int i = 0; i < interactions.size(); i++) {
            strata.computeIfAbsent(valueOf(interactions.get(i), stratifyBy), name -> new ArrayList<>()).add(i);
        }
        return strata;
    }

    /**
     * Derives the seed of one random stream from the run's seed, the stratum and the purpose. Each stratum gets its
     * own streams, so adding or removing a stratum leaves the draws of the others unchanged. {@link String#hashCode}
     * is specified by the Java API, so the result is the same on every JVM.
     */
    static long streamSeed(long seed, String stratum, String purpose) {
        long golden = 0x9E3779B97F4A7C15L;
        long mixed = seed * golden + stratum.hashCode();
        mixed = mixed * golden + purpose.hashCode();
        return new SplittableRandom(mixed).nextLong();
    }
}
