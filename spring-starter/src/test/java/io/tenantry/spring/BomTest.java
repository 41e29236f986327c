package io.tenantry.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM a Spring Boot application imports manages Tenantry's own artifacts and nothing else: no
 * parent whose managed versions (JUnit 5 among them) would come along and override Boot's.
 */
class BomTest {

    @Test
    void theBomHasNoParentAndManagesOnlyTenantryArtifacts() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document bom = factory.newDocumentBuilder().parse(Path.of("..", "bom", "pom.xml").toFile());
        Element project = bom.getDocumentElement();
        assertThat(project.getElementsByTagName("parent").getLength()).as("parent elements").isZero();
        assertThat(project.getElementsByTagName("import").getLength()).as("imported BOMs").isZero();
        NodeList dependencies = project.getElementsByTagName("dependency");
        List<String> managed = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            managed.add(dependency.getElementsByTagName("groupId").item(0).getTextContent() + ":"
                    + dependency.getElementsByTagName("artifactId").item(0).getTextContent());
        }
        assertThat(managed).isNotEmpty().allMatch(coordinates -> coordinates.startsWith("io.tenantry:tenantry-"));
        Document parent = factory.newDocumentBuilder().parse(Path.of("..", "pom.xml").toFile());
        assertThat(text(project, "version")).as("the BOM's version is the build's")
                .isEqualTo(text(parent.getDocumentElement(), "version"));
    }

    private static String text(Element project, String child) {
        NodeList nodes = project.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element && element.getTagName().equals(child)) {
                return element.getTextContent();
            }
        }
        return "";
    }
}
