package dev.tuneladder.aws.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

class JsonDocumentsTest {

    @Test
    void roundTrip_keepsStructureAndNumberNodeTypes() {
        JsonNode original = BedrockStub.json("""
                {"s": "text", "i": 3, "l": 12345678901, "big": 123456789012345678901234567890,
                 "d": 0.25, "e": 1.5E10, "t": true, "n": null, "a": [1, "two", {"x": []}], "o": {}}""");

        JsonNode back = JsonDocuments.toJson(JsonDocuments.toDocument(original));

        assertThat(back).isEqualTo(original);
        assertThat(back.get("i").isInt()).isTrue();
        assertThat(back.get("l").isLong()).isTrue();
        assertThat(back.get("big").isBigInteger()).isTrue();
        assertThat(back.get("d").isDouble()).isTrue();
    }

    @Test
    void toJson_readsSdkNumbersLikeJackson() {
        Document document = Document.mapBuilder()
                .putNumber("count", SdkNumber.fromInteger(7))
                .putNumber("huge", SdkNumber.fromBigInteger(new BigInteger("99999999999999999999")))
                .putNumber("ratio", SdkNumber.fromString("0.1"))
                .build();

        JsonNode json = JsonDocuments.toJson(document);

        assertThat(json).isEqualTo(BedrockStub.json("{\"count\": 7, \"huge\": 99999999999999999999, \"ratio\": 0.1}"));
    }

    @Test
    void toDocument_rejectsBinaryNodes() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("bytes", new byte[] {1, 2});

        assertThatThrownBy(() -> JsonDocuments.toDocument(node))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BINARY");
    }
}
