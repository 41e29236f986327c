package io.tenantry;

import io.tenantry.spi.TenantDataStore;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A portable archive of one tenant's data, written by {@link TenantLifecycle#export} and read by
 * {@link TenantLifecycle#importTenant}: a folder holding {@value #MANIFEST} and one file of data per
 * collection or table under {@code data/}.
 *
 * <pre>{@code
 * acme-20261130T101500Z/
 *   manifest.json            what is in the archive (below)
 *   data/0001-cards.jsonl    one item per line, in the adapter's data format
 *   data/0002-teams.jsonl
 * }</pre>
 *
 * <p><b>The manifest</b> is UTF-8 JSON:
 *
 * <pre>{@code
 * {
 *   "format": "tenantry-archive/1",
 *   "dataFormat": "mongodb-extended-json-lines/1",
 *   "tenant": {"id": "acme", "name": "Acme", "tier": "pro", "region": null, "attributes": {}},
 *   "placement": {"model": "FIELD", "store": "main", "namespace": "cardvault"},
 *   "exportedAt": "2026-11-30T10:15:00.123Z",
 *   "resources": [
 *     {"name": "cards", "file": "data/0001-cards.jsonl", "count": 1200, "bytes": 493112,
 *      "hash": "6f0c...", "fields": [], "indexes": ["{\"key\": {\"number\": 1}, \"name\": \"number_1\"}"]}
 *   ]
 * }
 * }</pre>
 *
 * {@code count} and {@code hash} are the resource's entry of the {@link TenantDigest} of the data as
 * exported; an import is verified against them. {@code fields} name the columns and their types for
 * SQL; {@code indexes} hold MongoDB index specifications as Extended JSON. {@code bytes} counts the
 * data file's bytes.
 *
 * <p><b>Data formats</b> ({@code dataFormat}, one per adapter; lines end with {@code \n}, UTF-8):
 *
 * <ul>
 *   <li>{@code mongodb-extended-json-lines/1}: each line one document as the tenant sees it (without
 *       the FIELD model's tenant field, its own {@code _id}), in MongoDB Extended JSON v2, canonical
 *       mode, which keeps every BSON type and the field order;
 *   <li>{@code postgresql-text-rows/1}: each line one row as a JSON array with one element per entry
 *       of {@code fields}, in that order: the value in its type's PostgreSQL text form (as
 *       {@code value::text} prints it with {@code TimeZone UTC}, {@code IntervalStyle postgres},
 *       {@code extra_float_digits 1}, {@code bytea_output hex}), or {@code null} for NULL. Each
 *       field's {@code type} is PostgreSQL's {@code format_type}. See {@link #encodeRow} and
 *       {@link #decodeRow}.
 * </ul>
 *
 * <p>Writing is crash-safe: an export writes a sibling folder named {@code <archive>.partial-<id>},
 * forces every file to disk, and renames it to the archive's name last, so an archive folder that
 * exists is complete. Reading streams: one line at a time.
 */
public final class TenantArchive {

    /** The manifest's file name. */
    public static final String MANIFEST = "manifest.json";

    /** The archive format this version writes and reads. */
    public static final String FORMAT = "tenantry-archive/1";

    private TenantArchive() {
    }

    /**
     * The manifest of an archive.
     *
     * @param format the archive format, {@link #FORMAT}
     * @param dataFormat the data format of the adapter that wrote it
     * @param tenant the tenant as it was exported: its id, name, tier, region and attributes (not its status,
     *     pinned placement or version)
     * @param placement where its data was
     * @param exportedAt when the export finished reading
     * @param resources its collections or tables
     */
    public record Manifest(String format, String dataFormat, Tenant tenant, Placement placement, Instant exportedAt,
            List<Resource> resources) {

        public Manifest {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(dataFormat, "dataFormat");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(placement, "placement");
            Objects.requireNonNull(exportedAt, "exportedAt");
            resources = List.copyOf(resources);
        }

        /** Returns the digest of the data the archive holds, as the manifest states it. */
        public TenantDigest digest() {
            return TenantDigest.of(resources.stream().filter(r -> r.count() > 0)
                    .collect(java.util.stream.Collectors.toMap(Resource::name,
                            r -> new TenantDigest.Entry(r.count(), r.hash()))));
        }

        /**
         * Starts the tenant as exported under another id: its tier, region and attributes, and its name
         * unless that was its old id. Pin a placement on it to import it there.
         */
        public Tenant.Builder tenantAs(TenantId id) {
            Tenant.Builder builder = Tenant.builder(id).tier(tenant.tier()).region(tenant.region().orElse(null))
                    .attributes(tenant.attributes());
            if (!tenant.name().equals(tenant.id().value())) {
                builder.name(tenant.name());
            }
            return builder;
        }

        /** Returns the number of items over all resources. */
        public long totalCount() {
            return resources.stream().mapToLong(Resource::count).sum();
        }
    }

    /**
     * One collection or table of an archive.
     *
     * @param name its logical name, as the tenant sees it
     * @param file its data file, relative to the archive folder
     * @param count how many items (documents, rows) it holds
     * @param bytes how many bytes its data file holds
     * @param hash its content hash, as {@link TenantDigest} computes it
     * @param fields for SQL, its columns in the order of each line's values
     * @param indexes for MongoDB, its indexes as the tenant sees them, each in Extended JSON
     */
    public record Resource(String name, String file, long count, long bytes, String hash, List<Field> fields,
            List<String> indexes) {

        public Resource {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(hash, "hash");
            fields = List.copyOf(fields);
            indexes = List.copyOf(indexes);
        }
    }

    /**
     * A column of a SQL resource.
     *
     * @param name its name as the database stores it
     * @param type its type as the database names it ({@code numeric(12,2)}, {@code timestamp with time zone})
     */
    public record Field(String name, String type) {

        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * Reads and checks the manifest of the archive at {@code archive}, and that each data file is there.
     *
     * @throws TenantLifecycleException if it is not a complete archive of this format (a missing or
     *     malformed manifest, a missing data file, a file outside the folder)
     */
    public static Manifest read(Path archive) {
        Objects.requireNonNull(archive, "archive");
        Path manifest = archive.resolve(MANIFEST);
        String text;
        try {
            text = Files.readString(manifest, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TenantLifecycleException("\"" + archive + "\" is not a tenant archive: it has no " + MANIFEST
                    + ". Pass the folder an export wrote (a folder ending in .partial-... is an export that did"
                    + " not finish).", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + manifest + ": " + e.getMessage(), e);
        }
        try {
            Manifest read = manifest(ArchiveJson.parse(text));
            for (Resource resource : read.resources()) {
                Path file = dataFile(archive, resource);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("data file " + resource.file() + " of \"" + resource.name()
                            + "\" is missing");
                }
            }
            return read;
        } catch (IllegalArgumentException | ClassCastException | NullPointerException | DateTimeParseException e) {
            throw new TenantLifecycleException("The manifest of tenant archive \"" + archive + "\" is not valid: "
                    + e.getMessage() + ". It must be a " + FORMAT + " manifest as TenantArchive describes.", e);
        }
    }

    /**
     * Encodes one row of the {@code postgresql-text-rows/1} format: a JSON array of strings and nulls,
     * on one line.
     */
    public static String encodeRow(List<@Nullable String> values) {
        return ArchiveJson.compact(values);
    }

    /**
     * Decodes one row of the {@code postgresql-text-rows/1} format.
     *
     * @throws IllegalArgumentException if {@code line} is not a JSON array of strings and nulls
     */
    public static List<@Nullable String> decodeRow(String line) {
        if (!(ArchiveJson.parse(line) instanceof List<?> values)) {
            throw new IllegalArgumentException("A row must be a JSON array, was: " + abbreviate(line));
        }
        List<@Nullable String> row = new ArrayList<>(values.size());
        for (Object value : values) {
            if (value != null && !(value instanceof String)) {
                throw new IllegalArgumentException("A row holds strings and nulls only, found " + value + " in: "
                        + abbreviate(line));
            }
            row.add((String) value);
        }
        return row;
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    // ---- manifest as JSON

    static Map<String, Object> json(Manifest m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", m.format());
        json.put("dataFormat", m.dataFormat());
        Map<String, Object> tenant = new LinkedHashMap<>();
        tenant.put("id", m.tenant().id().value());
        tenant.put("name", m.tenant().name());
        tenant.put("tier", m.tenant().tier());
        tenant.put("region", m.tenant().region().orElse(null));
        tenant.put("attributes", new LinkedHashMap<String, Object>(new java.util.TreeMap<>(m.tenant().attributes())));
        json.put("tenant", tenant);
        Map<String, Object> placement = new LinkedHashMap<>();
        placement.put("model", m.placement().model().name());
        placement.put("store", m.placement().store());
        placement.put("namespace", m.placement().namespace());
        json.put("placement", placement);
        json.put("exportedAt", m.exportedAt().toString());
        List<Object> resources = new ArrayList<>();
        for (Resource r : m.resources()) {
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("name", r.name());
            resource.put("file", r.file());
            resource.put("count", r.count());
            resource.put("bytes", r.bytes());
            resource.put("hash", r.hash());
            List<Object> fields = new ArrayList<>();
            for (Field f : r.fields()) {
                Map<String, Object> field = new LinkedHashMap<>();
                field.put("name", f.name());
                field.put("type", f.type());
                fields.add(field);
            }
            resource.put("fields", fields);
            resource.put("indexes", new ArrayList<Object>(r.indexes()));
            resources.add(resource);
        }
        json.put("resources", resources);
        return json;
    }

    private static Manifest manifest(@Nullable Object parsed) {
        Map<?, ?> json = map(parsed, "the manifest");
        String format = string(json, "format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("its format is \"" + format + "\", this version reads " + FORMAT);
        }
        Map<?, ?> t = map(json.get("tenant"), "tenant");
        Tenant.Builder tenant = Tenant.builder(string(t, "id")).tier(string(t, "tier"));
        if (t.get("name") != null) {
            tenant.name(string(t, "name"));
        }
        if (t.get("region") != null) {
            tenant.region(string(t, "region"));
        }
        if (t.get("attributes") != null) {
            map(t.get("attributes"), "tenant.attributes").forEach((k, v) -> tenant.attribute((String) k, (String) v));
        }
        Map<?, ?> p = map(json.get("placement"), "placement");
        Placement placement = Placement.of(IsolationModel.valueOf(string(p, "model")), string(p, "store"),
                string(p, "namespace"));
        List<Resource> resources = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Object element : list(json.get("resources"), "resources")) {
            Map<?, ?> r = map(element, "a resource");
            List<Field> fields = new ArrayList<>();
            for (Object f : list(r.get("fields"), "fields")) {
                Map<?, ?> field = map(f, "a field");
                fields.add(new Field(string(field, "name"), string(field, "type")));
            }
            List<String> indexes = new ArrayList<>();
            for (Object index : list(r.get("indexes"), "indexes")) {
                indexes.add((String) Objects.requireNonNull(index, "an index"));
            }
            Resource resource = new Resource(string(r, "name"), string(r, "file"), number(r, "count"),
                    number(r, "bytes"), string(r, "hash"), fields, indexes);
            if (!names.add(resource.name())) {
                throw new IllegalArgumentException("resource \"" + resource.name() + "\" appears twice");
            }
            resources.add(resource);
        }
        return new Manifest(format, string(json, "dataFormat"), tenant.build(), placement,
                Instant.parse(string(json, "exportedAt")), resources);
    }

    private static Map<?, ?> map(@Nullable Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException(what + " must be a JSON object");
    }

    private static List<?> list(@Nullable Object value, String what) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new IllegalArgumentException(what + " must be a JSON array");
    }

    private static String string(Map<?, ?> json, String key) {
        if (json.get(key) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("\"" + key + "\" must be a string");
    }

    private static long number(Map<?, ?> json, String key) {
        if (json.get(key) instanceof Long n && n >= 0) {
            return n;
        }
        throw new IllegalArgumentException("\"" + key + "\" must be a whole number, not negative");
    }

    /** Returns the data file of {@code resource}, refusing a name that leaves the archive's folder. */
    static Path dataFile(Path archive, Resource resource) {
        Path file = archive.resolve(resource.file()).normalize();
        if (!file.startsWith(archive.normalize()) || file.equals(archive.normalize())) {
            throw new IllegalArgumentException("data file \"" + resource.file() + "\" is outside the archive");
        }
        return file;
    }

    // ---- writing

    /** Returns the folder an export writes before it renames it to {@code archive}. */
    static Path partial(Path archive, String operation) {
        Path name = archive.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("An archive needs a folder name, not \"" + archive + "\"");
        }
        return archive.resolveSibling(name + ".partial-" + operation);
    }

    /** Deletes {@code folder} and everything in it, if it exists. */
    static void deleteFolder(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the unfinished archive " + folder + ": " + e.getMessage()
                    + ". Delete it by hand.", e);
        }
    }

    /**
     * Writes an archive's folder: the resources one after another, then the manifest, each forced to disk.
     * Not thread-safe; the adapter writes from one thread.
     */
    static final class FolderWriter implements TenantDataStore.ArchiveWriter, AutoCloseable {
        private final Path folder;
        private final TenantDataStore.CopyProgress progress;
        private final List<Resource> done = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private @Nullable Open open;

        /** An open data file. */
        private final class Open implements TenantDataStore.ResourceWriter {
            final String name;
            final String file;
            final List<Field> fields;
            final List<String> indexes;
            final FileOutputStream stream;
            final Writer out;
            final TenantDigest.Builder digest = TenantDigest.builder();
            long count;
            long bytes;
            long reportedCount;
            long reportedBytes;
            boolean closed;

            Open(String name, String file, List<Field> fields, List<String> indexes) throws IOException {
                this.name = name;
                this.file = file;
                this.fields = List.copyOf(fields);
                this.indexes = List.copyOf(indexes);
                this.stream = new FileOutputStream(folder.resolve(file).toFile());
                this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            }

            @Override
            public void item(String line, byte[] canonical) {
                if (closed) {
                    throw new IllegalStateException("Resource \"" + name + "\" is finished: a writer writes its"
                            + " resources one after another.");
                }
                if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("An archive line must not hold a line break: " + abbreviate(line));
                }
                try {
                    out.write(line);
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException("Writing " + file + " failed: " + e.getMessage(), e);
                }
                digest.add(name, canonical);
                count++;
                bytes += utf8Length(line) + 1;
                if (count - reportedCount >= 1000) {
                    report();
                }
            }

            void report() {
                if (count > reportedCount) {
                    progress.copied(name, count - reportedCount, bytes - reportedBytes);
                    reportedCount = count;
                    reportedBytes = bytes;
                }
            }

            Resource finish() throws IOException {
                closed = true;
                report();
                out.flush();
                stream.getChannel().force(true);
                out.close();
                TenantDigest.Entry entry = digest.build().resources().get(name);
                return new Resource(name, file, count, bytes, entry == null ? TenantDigest.EMPTY_HASH : entry.hash(),
                        fields, indexes);
            }
        }

        FolderWriter(Path folder, TenantDataStore.CopyProgress progress) {
            this.folder = folder;
            this.progress = progress;
            try {
                Files.createDirectories(folder.resolve("data"));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the archive folder " + folder + ": " + e.getMessage(), e);
            }
        }

        @Override
        public TenantDataStore.ResourceWriter resource(String name, List<Field> fields, List<String> indexes) {
            Objects.requireNonNull(name, "name");
            if (!names.add(name)) {
                throw new IllegalArgumentException("Resource \"" + name + "\" is in the archive already.");
            }
            finishOpen();
            String file = String.format("data/%04d-%s.jsonl", names.size(), fileName(name));
            try {
                open = new Open(name, file, fields, indexes);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create " + file + " in " + folder + ": " + e.getMessage(), e);
            }
            return open;
        }

        private void finishOpen() {
            if (open != null) {
                try {
                    done.add(open.finish());
                } catch (IOException e) {
                    throw new UncheckedIOException("Writing " + open.file + " failed: " + e.getMessage(), e);
                }
                open = null;
            }
        }

        /** Finishes the last resource and writes the manifest; returns it. */
        Manifest finish(String dataFormat, Tenant tenant, Placement placement) {
            finishOpen();
            Tenant.Builder exported = Tenant.builder(tenant.id()).name(tenant.name()).tier(tenant.tier())
                    .region(tenant.region().orElse(null)).attributes(new java.util.TreeMap<>(tenant.attributes()));
            Manifest manifest = new Manifest(FORMAT, dataFormat, exported.build(), placement, Instant.now(), done);
            try (FileOutputStream stream = new FileOutputStream(folder.resolve(MANIFEST).toFile())) {
                stream.write(ArchiveJson.pretty(json(manifest)).getBytes(StandardCharsets.UTF_8));
                stream.getChannel().force(true);
            } catch (IOException e) {
                throw new UncheckedIOException("Writing the manifest in " + folder + " failed: " + e.getMessage(), e);
            }
            force(folder.resolve("data"));
            force(folder);
            return manifest;
        }

        @Override
        public void close() {
            if (open != null) {
                try {
                    open.out.close();
                } catch (IOException ignored) {
                    // the export failed already; the folder is deleted
                }
                open = null;
            }
        }

        private static String fileName(String name) {
            String safe = name.replaceAll("[^A-Za-z0-9_.-]", "_");
            return safe.length() > 80 ? safe.substring(0, 80) : safe;
        }
    }

    /** Renames a written folder to the archive's name, atomically where the file system can. */
    static void publish(Path written, Path archive) {
        try {
            try {
                Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(written, archive);
            }
            Path parent = archive.toAbsolutePath().getParent();
            if (parent != null) {
                force(parent);
            }
        } catch (FileAlreadyExistsException e) {
            throw new TenantLifecycleException("Archive \"" + archive + "\" appeared while the export ran; the export is"
                    + " at " + written + ".", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot rename " + written + " to " + archive + ": " + e.getMessage(), e);
        }
    }

    /** Forces a folder's entries to disk where the platform allows it (not on Windows). */
    private static void force(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // opening a directory is not supported everywhere; the files themselves are forced
        }
    }

    private static long utf8Length(String s) {
        long length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    // ---- reading

    /** Reads an archive's folder, one resource at a time, one line at a time. */
    static final class FolderReader implements TenantDataStore.ArchiveReader {
        private final Path folder;
        private final Manifest manifest;

        FolderReader(Path folder, Manifest manifest) {
            this.folder = folder;
            this.manifest = manifest;
        }

        @Override
        public List<Resource> resources() {
            return manifest.resources();
        }

        @Override
        public TenantDataStore.ResourceReader open(Resource resource) {
            if (!manifest.resources().contains(resource)) {
                throw new IllegalArgumentException("Resource \"" + resource.name() + "\" is not in this archive.");
            }
            Path file = dataFile(folder, resource);
            try {
                BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                return new TenantDataStore.ResourceReader() {
                    @Override
                    public @Nullable String next() {
                        try {
                            return reader.readLine();
                        } catch (IOException e) {
                            throw new UncheckedIOException("Reading " + file + " failed: " + e.getMessage(), e);
                        }
                    }

                    @Override
                    public void close() {
                        try {
                            reader.close();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
