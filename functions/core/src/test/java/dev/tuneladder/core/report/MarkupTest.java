package dev.tuneladder.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkupTest {

    @Test
    void escape_markupCharacters_becomeReferences() {
        assertThat(Markup.escape("a<b>&\"c\"'d'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
    }

    @Test
    void escape_controlCharacters_becomeReplacementCharacter() {
        String escaped = Markup.escape("a\u0000b\u0007c\tl\nm\r");

        assertThat(escaped).isEqualTo("a\uFFFDb\uFFFDc\tl\nm\r");
        assertThat(Xml.parse("<p>" + escaped + "</p>").getDocumentElement().getTextContent())
                .isEqualTo("a\uFFFDb\uFFFDc\tl\nm\n");
    }

    @Test
    void escape_surrogatePair_keptLoneSurrogateReplaced() {
        String emoji = new String(Character.toChars(0x1F600));

        assertThat(Markup.escape(emoji)).isEqualTo(emoji);
        assertThat(Markup.escape("x\uD83Dy")).isEqualTo("x\uFFFDy");
        assertThat(Markup.escape("x\uDE00")).isEqualTo("x\uFFFD");
    }

    @Test
    void escape_attributeValue_parsesBack() {
        String label = "say \"hi\" & 'bye' <now>";

        String attribute = Xml.parse("<p title=\"" + Markup.escape(label) + "\"/>").getDocumentElement()
                .getAttribute("title");

        assertThat(attribute).isEqualTo(label);
    }
}
