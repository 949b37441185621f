package dev.tuneladder.core.planner;

import dev.tuneladder.core.model.ToolSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tools offered to the model, with the map from each tool name sent to the provider back to the name the
 * dataset uses.
 *
 * <p>Providers restrict tool names: Bedrock Converse {@code ToolSpecification.name} must match
 * {@code [a-zA-Z0-9_-]+} with 1 to 64 characters (Bedrock API reference), and OpenAI-compatible servers apply the
 * same rule to function names. Dataset names such as BFCL's {@code math.factorial} break it, so
 * {@link #providerName} replaces every other character with {@code _}, cuts the name to 64 characters and, when
 * two names of one set end up equal, appends {@code _2}, {@code _3}, … to the later ones. The mapping is stored
 * per set, so {@link #originalName} reverses it exactly.
 *
 * @param specs the tools in the order offered, named with provider-safe names
 * @param originalNameByToolName provider-safe name to dataset name, one entry per spec
 */
public record ToolSet(List<ToolSpec> specs, Map<String, String> originalNameByToolName) {

    /** Maximum tool name length that Bedrock Converse and OpenAI-compatible servers accept. */
    public static final int MAX_NAME_LENGTH = 64;

    private static final Pattern SAFE_NAME = Pattern.compile("[a-zA-Z0-9_-]{1," + MAX_NAME_LENGTH + "}");
    private static final Pattern UNSAFE_CHARACTER = Pattern.compile("[^a-zA-Z0-9_-]");

    public ToolSet {
        specs = List.copyOf(specs);
        originalNameByToolName = Collections.unmodifiableMap(new LinkedHashMap<>(originalNameByToolName));
        Set<String> seen = new HashSet<>();
        for (ToolSpec spec : specs) {
            if (!seen.add(spec.name())) {
                throw new IllegalArgumentException("tool name '" + spec.name() + "' is offered twice; tool names"
                        + " of one request must be unique");
            }
            if (!SAFE_NAME.matcher(spec.name()).matches()) {
                throw new IllegalArgumentException("tool name '" + spec.name() + "' does not match [a-zA-Z0-9_-]{1,64};"
                        + " build the set with ToolSet.of, which renames such tools");
            }
            if (!originalNameByToolName.containsKey(spec.name())) {
                throw new IllegalArgumentException("tool '" + spec.name() + "' has no entry in the name map");
            }
        }
        if (originalNameByToolName.size() != specs.size()) {
            throw new IllegalArgumentException("the name map has " + originalNameByToolName.size()
                    + " entries for " + specs.size() + " tools");
        }
    }

    /**
     * Builds a set from specs named as in the dataset, renaming each to a provider-safe name.
     *
     * @throws IllegalArgumentException when two specs have the same dataset name
     */
    public static ToolSet of(List<ToolSpec> specsWithOriginalNames) {
        Map<String, String> originalByTool = new LinkedHashMap<>();
        Set<String> originals = new HashSet<>();
        List<ToolSpec> renamed = new ArrayList<>();
        for (ToolSpec spec : specsWithOriginalNames) {
            if (!originals.add(spec.name())) {
                throw new IllegalArgumentException("two tools are named '" + spec.name() + "'; give each function"
                        + " document a unique name");
            }
            String toolName = uniqueName(providerName(spec.name()), originalByTool.keySet());
            originalByTool.put(toolName, spec.name());
            renamed.add(new ToolSpec(toolName, spec.description(), spec.inputSchema()));
        }
        return new ToolSet(renamed, originalByTool);
    }

    /** Returns the name with every character outside {@code [a-zA-Z0-9_-]} replaced by {@code _}, cut to 64. */
    public static String providerName(String originalName) {
        String safe = UNSAFE_CHARACTER.matcher(originalName).replaceAll("_");
        return safe.length() > MAX_NAME_LENGTH ? safe.substring(0, MAX_NAME_LENGTH) : safe;
    }

    /** Returns the dataset name of a tool the model called, or null when no tool of this set has that name. */
    public String originalName(String toolName) {
        return originalNameByToolName.get(toolName);
    }

    /** Returns the provider-safe name of a dataset tool name, or null when the set has no such tool. */
    public String toolName(String originalName) {
        Map<String, String> byOriginal = new HashMap<>();
        originalNameByToolName.forEach((tool, original) -> byOriginal.put(original, tool));
        return byOriginal.get(Objects.requireNonNull(originalName, "originalName"));
    }

    private static String uniqueName(String base, Set<String> taken) {
        if (!taken.contains(base)) {
            return base;
        }
        for (int n = 2; ; n++) {
            String suffix = "_" + n;
            String head = base.length() + suffix.length() > MAX_NAME_LENGTH
                    ? base.substring(0, MAX_NAME_LENGTH - suffix.length())
                    : base;
            String candidate = head + suffix;
            if (!taken.contains(candidate)) {
                return candidate;
            }
        }
    }
}
