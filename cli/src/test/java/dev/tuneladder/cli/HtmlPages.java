package dev.tuneladder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** Reads the HTML pages the commands write and checks that each is well-formed and self-contained. */
final class HtmlPages {

    private static final String DOCTYPE = "<!DOCTYPE html>\n";
    private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

    private HtmlPages() {
    }

    /**
     * Reads {@code file}, checks that it parses as XML after its doctype line, that its only URI is the SVG
     * namespace and that it loads nothing, and returns the parsed page.
     */
    static Document readSelfContained(Path file) throws IOException {
        String html = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(html).startsWith(DOCTYPE).endsWith("</html>\n");
        Matcher uri = Pattern.compile("https?://[^\"'\\s)<]*").matcher(html);
        while (uri.find()) {
            assertThat(uri.group()).isEqualTo(SVG_NAMESPACE);
        }
        assertThat(html.toLowerCase(Locale.ROOT))
                .doesNotContain("<script", "<link", "@import", "url(", "<img", "<iframe", "<object", "src=");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder()
                    .parse(new InputSource(new StringReader(html.substring(DOCTYPE.length()))));
        } catch (ParserConfigurationException | SAXException e) {
            throw new AssertionError(file + " is not well-formed: " + e.getMessage(), e);
        }
    }

    /** Returns every element whose class attribute is exactly {@code cssClass}, in document order. */
    static List<Element> withClass(Document page, String cssClass) {
        List<Element> found = new ArrayList<>();
        NodeList all = page.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element element = (Element) all.item(i);
            if (element.getAttribute("class").equals(cssClass)) {
                found.add(element);
            }
        }
        return found;
    }

    /** Returns the text of the body rows of the one table with class {@code tableClass}, in order. */
    static List<String> rowTexts(Document page, String tableClass) {
        List<Element> tables = withClass(page, tableClass);
        assertThat(tables).as("tables of class " + tableClass).hasSize(1);
        List<String> rows = new ArrayList<>();
        NodeList all = tables.get(0).getElementsByTagNameNS("*", "tr");
        for (int i = 0; i < all.getLength(); i++) {
            Element row = (Element) all.item(i);
            if (row.getParentNode().getLocalName().equals("tbody")) {
                rows.add(row.getTextContent());
            }
        }
        return rows;
    }
}
