package dev.tuneladder.core.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StoredObjectTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void constructor_invalidFields_throwNamingField() {
        assertThatThrownBy(() -> new StoredObject("a//b", 0, EMPTY_SHA256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid key 'a//b'");
        assertThatThrownBy(() -> new StoredObject("a", -1, EMPTY_SHA256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytes of 'a' must be 0 or more, got -1");
        assertThatThrownBy(() -> new StoredObject("a", 0, EMPTY_SHA256.toUpperCase(java.util.Locale.ROOT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 lowercase hex digits");
        assertThatThrownBy(() -> new StoredObject("a", 0, "abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256 of 'a'");
    }
}
