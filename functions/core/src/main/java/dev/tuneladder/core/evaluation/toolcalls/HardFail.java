package dev.tuneladder.core.evaluation.toolcalls;

import java.util.List;
import java.util.Objects;

/**
 * Calls to a tool that the reference plan of the row does not call at all, grouped by the reference's tool set:
 * for example {@code [get_stock_price] → send_crypto} for a crypto-wallet transfer made for a stock-price question.
 *
 * @param referenceTools the distinct tool names of the reference plan, sorted; empty when no call was expected
 * @param calledTool the tool that was called although the reference does not call it
 * @param calls the number of such calls
 * @param rows the number of rows with at least one such call
 * @param sampleRowIds the lexicographically smallest ids of those rows, at most the state's cap, sorted; the
 *     smallest rather than the first seen so that merged states agree with a single pass
 */
public record HardFail(List<String> referenceTools, String calledTool, long calls, long rows,
                       List<String> sampleRowIds) {

    public HardFail {
        referenceTools = List.copyOf(referenceTools);
        Objects.requireNonNull(calledTool, "calledTool");
        sampleRowIds = List.copyOf(sampleRowIds);
        if (calls < rows || rows < 1) {
            throw new IllegalArgumentException("a hard fail needs at least one row and at least one call per row,"
                    + " got " + calls + " calls in " + rows + " rows");
        }
    }
}
