package dev.tuneladder.core.report;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** Parses report markup with the JDK's XML parser, which rejects anything that is not well-formed. */
final class Xml {

    private static final String DOCTYPE = "<!DOCTYPE html>\n";

    private Xml() {
    }

    /** Parses an HTML page after removing its doctype line, which XML parsers do not accept in HTML's form. */
    static Document parsePage(String html) {
        if (!html.startsWith(DOCTYPE)) {
            throw new AssertionError("page does not start with " + DOCTYPE.strip());
        }
        return parse(html.substring(DOCTYPE.length()));
    }

    /** Parses well-formed markup; a doctype or entity declaration is rejected. */
    static Document parse(String markup) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setNamespaceAware(true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(markup)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new AssertionError("markup is not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** Returns every element whose class attribute is exactly {@code cssClass}, in document order. */
    static List<Element> withClass(Document document, String cssClass) {
        List<Element> found = new ArrayList<>();
        NodeList all = document.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element element = (Element) all.item(i);
            if (element.getAttribute("class").equals(cssClass)) {
                found.add(element);
            }
        }
        return found;
    }

    /** Returns every element with local name {@code name}, in any namespace, in document order. */
    static List<Element> named(Document document, String name) {
        List<Element> found = new ArrayList<>();
        NodeList all = document.getElementsByTagNameNS("*", name);
        for (int i = 0; i < all.getLength(); i++) {
            found.add((Element) all.item(i));
        }
        return found;
    }

    /** Returns the text content of each element, in order. */
    static List<String> texts(List<Element> elements) {
        return elements.stream().map(Element::getTextContent).toList();
    }
}
