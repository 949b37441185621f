package dev.tuneladder.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromptTemplateTest {

    @Test
    void versionIsSha256PrefixOfText() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        assertThat(new PromptTemplate("any", "abc").version()).isEqualTo("ba7816bf8f01");
    }

    @Test
    void versionIgnoresName() {
        assertThat(new PromptTemplate("first", "Route the request.").version())
                .isEqualTo(new PromptTemplate("renamed", "Route the request.").version());
    }

    @Test
    void versionChangesWithText() {
        assertThat(new PromptTemplate("p", "Route the request.").version())
                .isNotEqualTo(new PromptTemplate("p", "Route the request!").version());
    }

    @Test
    void contentHashSeparatesParts() {
        assertThat(PromptTemplate.contentHash("ab", "c")).isNotEqualTo(PromptTemplate.contentHash("a", "bc"));
        assertThat(PromptTemplate.contentHash("abc")).isEqualTo("ba7816bf8f01");
    }

    @Test
    void renderReplacesPlaceholder() {
        PromptTemplate template = new PromptTemplate("p", "Before\n{{examples}}\nAfter");

        assertThat(template.render("EX")).isEqualTo("Before\nEX\nAfter");
        assertThat(template.hasExamplesPlaceholder()).isTrue();
    }

    @Test
    void placeholderTwiceIsRejected() {
        assertThatThrownBy(() -> new PromptTemplate("p", "{{examples}} and {{examples}}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than once");
    }
}
