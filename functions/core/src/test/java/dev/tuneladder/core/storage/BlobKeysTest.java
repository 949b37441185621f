package dev.tuneladder.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BlobKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "runs/r1/metrics.json", "datasets/Müşteri verisi/a b.jsonl", ".hidden/x", "a..b/c",
            "runs/r1/ü😀.json"})
    void requireValidKey_validKey_returnsIt(String key) {
        assertThat(BlobKeys.requireValidKey(key)).isEqualTo(key);
        assertThat(BlobKeys.isValidKey(key)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/runs/a.json     | it starts with '/'",
            "runs/            | it ends with '/'",
            "runs//a.json     | empty segment",
            "../a.json        | a '..' segment",
            "runs/../a.json   | a '..' segment",
            "runs/./a.json    | a '.' segment",
            "runs\\a.json     | use '/' as the separator",
    })
    void requireValidKey_invalidKey_namesKeyAndRule(String key, String rule) {
        assertThatThrownBy(() -> BlobKeys.requireValidKey(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid key '" + key + "'")
                .hasMessageContaining(rule)
                .hasMessageContaining("runs/r1/metrics.json");
        assertThat(BlobKeys.isValidKey(key)).isFalse();
    }

    @Test
    void requireValidKey_emptyKey_saysEmpty() {
        assertThatThrownBy(() -> BlobKeys.requireValidKey(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be empty");
    }

    @Test
    void requireValidKey_controlCharacter_namesCodePointAndIndex() {
        assertThatThrownBy(() -> BlobKeys.requireValidKey("runs/a\tb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+0009 at index 6");
    }

    @Test
    void requireValidKey_overS3Limit_namesLength() {
        String atLimit = "k/" + "a".repeat(BlobKeys.MAX_KEY_BYTES - 2);
        String overLimit = "k/" + "ş".repeat(600);

        assertThat(BlobKeys.requireValidKey(atLimit)).isEqualTo(atLimit);
        assertThatThrownBy(() -> BlobKeys.requireValidKey(overLimit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1202 bytes in UTF-8")
                .hasMessageContaining("1024");
    }

    @Test
    void requireValidKey_null_throwsNullPointer() {
        assertThatThrownBy(() -> BlobKeys.requireValidKey(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "runs/", "runs/r1", "runs/r1/", "r"})
    void requireValidPrefix_validPrefix_returnsIt(String prefix) {
        assertThat(BlobKeys.requireValidPrefix(prefix)).isEqualTo(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/runs", "runs//", "runs//r1", "../", "runs/../r1", "runs\\"})
    void requireValidPrefix_invalidPrefix_namesPrefix(String prefix) {
        assertThatThrownBy(() -> BlobKeys.requireValidPrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid prefix '");
    }

    @Test
    void utf8Order_sortsByCodePointNotUtf16Unit() {
        String halfwidth = "k/\uFF61";
        String emoji = "k/\uD83D\uDE00";
        List<String> keys = new ArrayList<>(List.of(emoji, "k/b", halfwidth, "k", "k-", "k/a"));

        keys.sort(BlobKeys.UTF8_ORDER);

        // UTF-8 of U+FF61 starts with 0xEF and of U+1F600 with 0xF0, so U+FF61 sorts first, the reverse of
        // String.compareTo, where the surrogate 0xD83D is less than 0xFF61.
        assertThat(keys).containsExactly("k", "k-", "k/a", "k/b", halfwidth, emoji);
        assertThat(halfwidth.compareTo(emoji)).isPositive();
    }
}
