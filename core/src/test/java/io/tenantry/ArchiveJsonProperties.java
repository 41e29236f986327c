package io.tenantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The archive's JSON: every value written reads back equal (strings of any UTF-16 content, including
 * control characters, quotes, backslashes, line separators and lone surrogates), rows stay on one line,
 * and malformed text is refused with its offset.
 */
class ArchiveJsonProperties {

    private static final String AWKWARD = "\"\\/\b\f\n\r\t\u0000\u001f\u007f\u2028\u2029\ud83d\ude00\ud800\udc00é€";

    private static String text(SplittableRandom random) {
        int length = random.nextInt(12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> s.append(AWKWARD.charAt(random.nextInt(AWKWARD.length())));
                case 1 -> s.append((char) random.nextInt(0x10000)); // lone surrogates included
                default -> s.append((char) ('a' + random.nextInt(26)));
            }
        }
        return s.toString();
    }

    private static Object value(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 2 ? 5 : 7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextLong();
            case 3, 4 -> text(random);
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(value(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(text(random), value(random, depth + 1));
                }
                yield map;
            }
        };
    }

    @Test
    void everyValueReadsBackEqualPrettyOrCompact() {
        Property.forAll(3000, random -> value(random, 0), value -> {
            assertThat(ArchiveJson.parse(ArchiveJson.pretty(value))).isEqualTo(value);
            String compact = ArchiveJson.compact(value);
            assertThat(compact).doesNotContain("\n", "\r", "\u2028", "\u2029");
            assertThat(ArchiveJson.parse(compact)).isEqualTo(value);
        });
    }

    @Test
    void rowsOfStringsAndNullsRoundTripOnOneLine() {
        Property.forAll(2000, random -> {
            List<String> row = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                row.add(random.nextInt(5) == 0 ? null : text(random));
            }
            return row;
        }, row -> {
            String line = TenantArchive.encodeRow(row);
            assertThat(line).doesNotContain("\n", "\r");
            assertThat(TenantArchive.decodeRow(line)).isEqualTo(row);
        });
    }

    @Test
    void malformedTextIsRefusedWithItsOffset() {
        for (String bad : Arrays.asList("", "[", "[\"a\"", "{\"a\" 1}", "[1.5]", "[1e3]", "\"\\x\"", "[\"a\"] x",
                "{\"a\":1,\"a\":2}", "\"tab\there\"", "[99999999999999999999]", "tru", "[\"\\u12\"]")) {
            assertThatThrownBy(() -> ArchiveJson.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Not valid archive JSON at offset");
        }
        assertThatThrownBy(() -> TenantArchive.decodeRow("[1]")).hasMessageContaining("strings and nulls only");
        assertThatThrownBy(() -> TenantArchive.decodeRow("{}")).hasMessageContaining("must be a JSON array");
    }
}
