package dev.tuneladder.core.evaluation.toolcalls;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The parameter types of Berkeley Function Calling Leaderboard function documents, with the JSON Schema names
 * mapped onto them ({@code number} to {@link #FLOAT}, {@code object} to {@link #DICT}).
 */
public enum ParameterType {

    STRING,
    /** A JSON integer. A number with a fraction or exponent part, even {@code 5.0}, is not an integer. */
    INTEGER,
    /** Any JSON number: an integer is accepted where a float is expected. */
    FLOAT,
    BOOLEAN,
    ARRAY,
    /** A fixed-length list, which JSON writes as an array. */
    TUPLE,
    DICT,
    /** Any JSON value. */
    ANY;

    /**
     * Parses a document's type name, ignoring case.
     *
     * @throws IllegalArgumentException when the name is not one of string, integer, float, number, boolean, array,
     *     tuple, dict, object or any
     */
    public static ParameterType ofDocName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "string" -> STRING;
            case "integer" -> INTEGER;
            case "float", "number" -> FLOAT;
            case "boolean" -> BOOLEAN;
            case "array" -> ARRAY;
            case "tuple" -> TUPLE;
            case "dict", "object" -> DICT;
            case "any" -> ANY;
            default -> throw new IllegalArgumentException("unknown parameter type '" + name + "'; use one of string,"
                    + " integer, float, number, boolean, array, tuple, dict, object, any");
        };
    }

    /** Returns whether {@code value} has this type, ignoring nested item and property types. */
    public boolean admits(JsonNode value) {
        return switch (this) {
            case STRING -> value.isTextual();
            case INTEGER -> value.isIntegralNumber();
            case FLOAT -> value.isNumber();
            case BOOLEAN -> value.isBoolean();
            case ARRAY, TUPLE -> value.isArray();
            case DICT -> value.isObject();
            case ANY -> true;
        };
    }

    /** Returns the name used in failure details, as function documents spell it. */
    public String docName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
