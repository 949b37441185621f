package dev.tuneladder.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestingOutputStreamTest {

    @Test
    void write_mixedSingleAndBulkWrites_countsAndDigestsAllBytes() throws IOException {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        DigestingOutputStream output = new DigestingOutputStream(target);

        output.write('a');
        output.write("xbcx".getBytes(StandardCharsets.US_ASCII), 1, 2);

        assertThat(target.toByteArray()).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(output.bytes()).isEqualTo(3);
        // SHA-256 of "abc" from FIPS 180-2, appendix B.1.
        assertThat(output.finishSha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void storedObject_noBytes_hasDigestOfEmptyInput() {
        DigestingOutputStream output = new DigestingOutputStream(OutputStream.nullOutputStream());

        StoredObject stored = output.storedObject("empty");

        assertThat(stored).isEqualTo(new StoredObject("empty", 0,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    @Test
    void close_leavesTargetOpen() throws IOException {
        boolean[] closed = {false};
        OutputStream target = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };

        new DigestingOutputStream(target).close();

        assertThat(closed[0]).isFalse();
    }

    @Test
    void write_rangeOutsideBuffer_throwsIndexOutOfBounds() {
        DigestingOutputStream output = new DigestingOutputStream(OutputStream.nullOutputStream());

        assertThatThrownBy(() -> output.write(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(output.bytes()).isZero();
    }
}
