package dev.tuneladder.cdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a gzip-compressed POSIX ustar archive of regular files at its root whose bytes depend only on the file names
 * and contents: entries in name order, mode 0644, owner and group 0 ({@value #OWNER}), modification time
 * {@value #MTIME}. {@link GZIPOutputStream} writes a header with no file name and a zero timestamp, so the gzip
 * layer adds nothing variable either.
 *
 * <p>Layout per POSIX.1-1988 (ustar): a 512-byte header per file, the contents padded with zeros to a multiple of 512
 * bytes, two zero blocks at the end, and the whole padded to a 10240-byte record (tar's default blocking factor 20).
 */
final class SourceArchive {

    /** Modification time of every entry, in seconds since the epoch (2000-01-01T00:00:00Z). */
    static final long MTIME = 946_684_800L;
    /** User and group name of every entry, with id 0. */
    static final String OWNER = "root";
    /** Permission bits of every entry, octal 0644. */
    static final int MODE = 0644;

    private static final int BLOCK = 512;
    private static final int RECORD = 20 * BLOCK;
    private static final int MAX_NAME_BYTES = 100;
    /** Largest size that the 11 octal digits of the size field can hold: 8 GiB minus one byte. */
    private static final long MAX_SIZE = 077777777777L;

    private SourceArchive() {
    }

    /**
     * Returns the tar.gz bytes of the given files.
     *
     * @param files contents by file name; names are plain file names of at most 100 ASCII bytes, without '/'
     * @throws IllegalArgumentException naming the file whose name or size ustar cannot hold
     */
    static byte[] tarGz(SortedMap<String, byte[]> files) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String name = file.getKey();
            byte[] contents = file.getValue();
            tar.writeBytes(header(name, contents.length));
            tar.writeBytes(contents);
            tar.writeBytes(new byte[padding(contents.length, BLOCK)]);
        }
        tar.writeBytes(new byte[2 * BLOCK]);
        tar.writeBytes(new byte[padding(tar.size(), RECORD)]);

        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            tar.writeTo(gzip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compress an in-memory archive", e);
        }
        return compressed.toByteArray();
    }

    private static byte[] header(String name, long size) {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        boolean ascii = name.chars().allMatch(c -> c > ' ' && c < 0x7f);
        if (!ascii || name.contains("/") || nameBytes.length == 0 || nameBytes.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("file name '" + name + "' cannot go into the source archive; use a"
                    + " plain file name of 1 to 100 printable ASCII characters without '/'");
        }
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("file " + name + " has " + size + " bytes, more than a ustar entry"
                    + " holds (" + MAX_SIZE + "); keep large files out of the source archive");
        }

        byte[] header = new byte[BLOCK];
        put(header, 0, nameBytes);
        octal(header, 100, 8, MODE);
        octal(header, 108, 8, 0);
        octal(header, 116, 8, 0);
        octal(header, 124, 12, size);
        octal(header, 136, 12, MTIME);
        header[156] = '0';
        put(header, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, "00".getBytes(StandardCharsets.US_ASCII));
        put(header, 265, OWNER.getBytes(StandardCharsets.US_ASCII));
        put(header, 297, OWNER.getBytes(StandardCharsets.US_ASCII));

        // The checksum is the sum of the header's unsigned bytes with its own field counted as eight spaces,
        // written as six octal digits, a NUL and a space.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        octal(header, 148, 7, sum);
        header[155] = ' ';
        return header;
    }

    /** Writes {@code value} as zero-padded octal digits followed by a NUL, filling {@code length} bytes. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        put(header, offset, padded.getBytes(StandardCharsets.US_ASCII));
        header[offset + length - 1] = 0;
    }

    private static void put(byte[] header, int offset, byte[] value) {
        System.arraycopy(value, 0, header, offset, value.length);
    }

    private static int padding(long length, int unit) {
        return (int) ((unit - length % unit) % unit);
    }
}
