package io.tenantry.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The README's properties reference matches the generated configuration metadata. */
class ReadmeTest {

    @Test
    void everyPropertyInTheMetadataIsDocumentedWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        JsonNode metadata;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = JsonMapper.builder().build().readTree(in);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asString();
            if (!name.startsWith("tenantry.")) {
                continue;
            }
            names.add(name);
            String row = readme.lines().filter(line -> line.startsWith("| `" + name + "` |")).findFirst().orElse("");
            assertThat(row).as("README row of %s", name).isNotEmpty();
            assertThat(row).as("description of %s", name).contains(property.get("description").asString());
            JsonNode defaultValue = property.get("defaultValue");
            if (defaultValue != null && defaultValue.isValueNode()) {
                assertThat(row).as("default of %s", name).contains("`" + defaultValue.asString() + "`");
            }
        }
        assertThat(names).hasSizeGreaterThan(25);
    }
}
