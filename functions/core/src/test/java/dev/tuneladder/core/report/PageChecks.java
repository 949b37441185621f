package dev.tuneladder.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The checks every self-contained report page must pass, shared by the tests of each page. */
final class PageChecks {

    static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

    private PageChecks() {
    }

    /**
     * Parses {@code html} and checks that it is well-formed, that its only URI is the SVG namespace, that it
     * loads nothing (no scripts, style sheets, images, frames or url() paints) and that every link points to a
     * section of the page.
     */
    static Document parseSelfContained(String html) {
        Document page = Xml.parsePage(html);
        assertThat(page.getDocumentElement().getLocalName()).isEqualTo("html");

        Matcher uri = Pattern.compile("https?://[^\"'\\s)<]*").matcher(html);
        while (uri.find()) {
            assertThat(uri.group()).isEqualTo(SVG_NAMESPACE);
        }
        assertThat(html.toLowerCase(Locale.ROOT))
                .doesNotContain("<script", "<link", "@import", "url(", "<img", "<iframe", "<object", "src=");

        List<String> sectionIds = Xml.named(page, "section").stream().map(section -> section.getAttribute("id"))
                .toList();
        for (Element link : Xml.named(page, "a")) {
            assertThat(link.getAttribute("href")).startsWith("#");
            assertThat(sectionIds).contains(link.getAttribute("href").substring(1));
        }
        for (Element chart : Xml.named(page, "svg")) {
            assertThat(chart.getNamespaceURI()).isEqualTo(SVG_NAMESPACE);
            assertThat(chart.getAttribute("aria-label")).isNotBlank();
        }
        return page;
    }

    /** Returns the text of the table rows whose parent table has class {@code tableClass}, in order. */
    static List<String> rowTexts(Document page, String tableClass) {
        List<Element> tables = Xml.withClass(page, tableClass);
        assertThat(tables).as("tables of class " + tableClass).hasSize(1);
        Element table = tables.get(0);
        return Xml.named(page, "tr").stream()
                .filter(row -> row.getParentNode().getLocalName().equals("tbody")
                        && row.getParentNode().getParentNode().isSameNode(table))
                .map(Element::getTextContent)
                .toList();
    }
}
