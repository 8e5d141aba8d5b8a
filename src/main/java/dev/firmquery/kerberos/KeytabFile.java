package dev.firmquery.kerberos;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The principals and encryption types in a keytab (never the keys). Java offers no public way to list
 * a keytab's principals, and its login only says "Unable to obtain password from user" when the
 * principal or a usable key is missing; this reading lets firmquery say which.
 *
 * <p>Reads the MIT keytab format version 0x0502 (what {@code ktutil}, {@code kadmin} and AD's
 * {@code ktpass} write).
 *
 * @param entries every key entry, in file order
 */
public record KeytabFile(List<Entry> entries) {

    public KeytabFile {
        entries = List.copyOf(entries);
    }

    /** One key: its principal, key version and encryption type number. */
    public record Entry(String principal, int kvno, int enctype) {
    }

    /** The distinct principals, in file order. */
    public List<String> principals() {
        Set<String> names = new LinkedHashSet<>();
        for (Entry e : entries) {
            names.add(e.principal());
        }
        return List.copyOf(names);
    }

    /** The encryption types of a principal's keys. */
    public Set<Integer> enctypesOf(String principal) {
        Set<Integer> types = new TreeSet<>();
        for (Entry e : entries) {
            if (e.principal().equalsIgnoreCase(principal)) {
                types.add(e.enctype());
            }
        }
        return types;
    }

    /** Reads a keytab file. */
    public static KeytabFile read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            DataInputStream in = new DataInputStream(raw);
            int version = in.readUnsignedShort();
            if (version != 0x0502) {
                throw new IOException(file + " is not a keytab of a known format (version 0x"
                        + Integer.toHexString(version) + "; expected 0x0502)");
            }
            List<Entry> entries = new ArrayList<>();
            while (true) {
                int size;
                try {
                    size = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                if (size == 0) {
                    break;
                }
                if (size < 0) {
                    in.skipNBytes(-(long) size); // a deleted entry
                    continue;
                }
                byte[] record = in.readNBytes(size);
                if (record.length < size) {
                    throw new IOException(file + " ends in the middle of an entry: it is damaged; get a new keytab");
                }
                entries.add(entry(new DataInputStream(new ByteArrayInputStream(record))));
            }
            return new KeytabFile(entries);
        } catch (EOFException e) {
            throw new IOException(file + " ends in the middle of an entry: it is damaged; get a new keytab", e);
        }
    }

    /** One entry from a stream over exactly its bytes (so {@code available()} is what is left of it). */
    private static Entry entry(DataInputStream in) throws IOException {
        int components = in.readUnsignedShort();
        String realm = string(in);
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < components; i++) {
            if (i > 0) {
                name.append('/');
            }
            name.append(string(in));
        }
        in.readInt(); // name type
        in.readInt(); // timestamp
        int kvno = in.readUnsignedByte();
        int enctype = in.readUnsignedShort();
        int keyLength = in.readUnsignedShort();
        in.skipNBytes(keyLength);
        if (in.available() >= 4) {
            int kvno32 = in.readInt();
            if (kvno32 != 0) {
                kvno = kvno32;
            }
        }
        return new Entry(name + "@" + realm, kvno, enctype);
    }

    private static String string(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
