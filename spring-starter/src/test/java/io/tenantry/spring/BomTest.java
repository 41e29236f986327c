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
 * parent whose managed versions (JUnit 5 among them) would come along and override Boot's. And it
 * manages every artifact the build publishes, so that a new module is not forgotten.
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

    @Test
    void theBomManagesEveryPublishedModuleOfTheBuild() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element bom = factory.newDocumentBuilder().parse(Path.of("..", "bom", "pom.xml").toFile()).getDocumentElement();
        List<String> managed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("artifactId");
        for (int i = 0; i < dependencies.getLength(); i++) {
            managed.add(dependencies.item(i).getTextContent());
        }
        Element root = factory.newDocumentBuilder().parse(Path.of("..", "pom.xml").toFile()).getDocumentElement();
        NodeList modules = root.getElementsByTagName("module");
        List<String> published = new ArrayList<>();
        for (int i = 0; i < modules.getLength(); i++) {
            String folder = modules.item(i).getTextContent();
            Element module = factory.newDocumentBuilder().parse(Path.of("..", folder, "pom.xml").toFile())
                    .getDocumentElement();
            NodeList skip = module.getElementsByTagName("maven.deploy.skip");
            boolean unpublished = skip.getLength() > 0 && skip.item(0).getTextContent().trim().equals("true");
            if (!folder.equals("bom") && !unpublished) {
                published.add(text(module, "artifactId"));
            }
        }
        assertThat(published).as("published modules").contains("tenantry-core", "tenantry-spring-boot-starter-test")
                .doesNotContain("tenantry-examples", "tenantry-benchmarks");
        assertThat(managed).containsAll(published);
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
