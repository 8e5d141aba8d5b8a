package dev.firmquery.config;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** An octal file mode such as {@code 0600} or {@code 640}: owner read and write, no execute bits. */
public record FileMode() implements ValueType {

    @Override
    public String typeName() {
        return "octal mode";
    }

    @Override
    public String allowed() {
        return "owner read+write, no execute bits: `0600`, `0640`, `0644`... (quote it in YAML)";
    }

    @Override
    public ValueType.Checked check(String value, Path userHome) {
        String expected = "expected an octal file mode such as 0600 (owner only) or 0640 (owner and group read),"
                + " in which the owner can read and write and nobody can execute";
        if (!value.matches("0?[0-7]{3}")) {
            return ValueType.Checked.bad(expected);
        }
        int mode = Integer.parseInt(value, 8);
        if ((mode & 0600) != 0600 || (mode & 0111) != 0) {
            return ValueType.Checked.bad(expected);
        }
        StringBuilder rwx = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            rwx.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append('-');
        }
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(rwx.toString());
        return ValueType.Checked.ok(Set.copyOf(permissions));
    }
}
