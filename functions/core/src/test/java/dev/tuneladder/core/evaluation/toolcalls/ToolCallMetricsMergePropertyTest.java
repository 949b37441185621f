package dev.tuneladder.core.evaluation.toolcalls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tuneladder.core.data.AcceptedCall;
import dev.tuneladder.core.data.ToolCall;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ToolCallMetricsMergePropertyTest {

    private static final int REPLICATES = 64;
    private static final long SEED = 99L;
    private static final int SAMPLE_ROW_IDS = 3;

    /** Three offered tools, each with one required integer argument {@code n}; "delta" is never offered. */
    private static final Map<String, FunctionDoc> OFFERED = FunctionDoc.byName(List.of(
            doc("alpha"), doc("beta"), doc("gamma")));

    private static JsonNode doc(String name) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode().put("name", name);
        ObjectNode parameters = doc.putObject("parameters");
        parameters.putObject("properties").putObject("n").put("type", "integer");
        parameters.putArray("required").add("n");
        return doc;
    }

    /** A call as (tool, value); a negative value is replaced by the string "x", a type error. */
    record Call(String tool, int value) {
    }

    record Row(List<Call> produced, List<Call> reference, int partition) {
    }

    /**
     * Splitting the rows into partitions, filling one state per partition, and merging them in a shuffled order
     * gives a result equal, field by field, to one state that saw every row.
     */
    @Property(tries = 150)
    void merge_anyPartition_equalsSinglePass(
            @ForAll("rows") List<Row> rows,
            @ForAll @IntRange(min = 1, max = 6) int partitionCount,
            @ForAll long shuffleSeed) {
        ToolCallMetricsState single = new ToolCallMetricsState(REPLICATES, SEED, SAMPLE_ROW_IDS);
        for (int i = 0; i < rows.size(); i++) {
            add(single, "row-" + i, rows.get(i));
        }

        List<ToolCallMetricsState> partials = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            partials.add(new ToolCallMetricsState(REPLICATES, SEED, SAMPLE_ROW_IDS));
        }
        for (int i = rows.size() - 1; i >= 0; i--) {
            add(partials.get(rows.get(i).partition() % partitionCount), "row-" + i, rows.get(i));
        }
        Collections.shuffle(partials, new Random(shuffleSeed));
        ToolCallMetricsState merged = new ToolCallMetricsState(REPLICATES, SEED, SAMPLE_ROW_IDS);
        for (ToolCallMetricsState partial : partials) {
            merged.merge(partial);
        }

        ToolCallMetrics expected = single.result();
        ToolCallMetrics actual = merged.result();
        assertThat(actual.perTool()).isEqualTo(expected.perTool());
        assertThat(actual.failureReasons()).isEqualTo(expected.failureReasons());
        assertThat(actual.hardFails()).isEqualTo(expected.hardFails());
        assertThat(actual.exactMatchRateCi95()).isEqualTo(expected.exactMatchRateCi95());
        assertThat(actual).isEqualTo(expected);
    }

    private static void add(ToolCallMetricsState state, String rowId, Row row) {
        List<ToolCall> produced = row.produced().stream().map(ToolCallMetricsMergePropertyTest::toolCall).toList();
        List<AcceptedCall> reference = row.reference().stream()
                .map(call -> new AcceptedCall(call.tool(), Map.of("n", List.of(IntNode.valueOf(call.value())))))
                .toList();
        state.add(rowId, produced, reference, OFFERED);
    }

    private static ToolCall toolCall(Call call) {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        arguments.set("n", call.value() < 0 ? TextNode.valueOf("x") : IntNode.valueOf(call.value()));
        return new ToolCall(call.tool(), arguments);
    }

    @Provide
    Arbitrary<List<Row>> rows() {
        Arbitrary<Call> referenceCall = Combinators.combine(
                Arbitraries.of("alpha", "beta", "gamma"), Arbitraries.integers().between(0, 2)).as(Call::new);
        Arbitrary<Call> producedCall = Combinators.combine(
                Arbitraries.of("alpha", "beta", "gamma", "delta"), Arbitraries.integers().between(-1, 2))
                .as(Call::new);
        Arbitrary<Integer> partition = Arbitraries.integers().between(0, 5);
        return Combinators.combine(producedCall.list().ofMaxSize(4), referenceCall.list().ofMaxSize(3), partition)
                .as(Row::new).list().ofMinSize(1).ofMaxSize(40);
    }
}
