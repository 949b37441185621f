package dev.tuneladder.core.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImportFormatTest {

    @Test
    void parse_ignoresCase() {
        assertThat(ImportFormat.parse("BANKING77")).isEqualTo(ImportFormat.BANKING77);
        assertThat(ImportFormat.parse("jsonl")).isEqualTo(ImportFormat.JSONL);
        assertThat(ImportFormat.parse(" Csv ")).isEqualTo(ImportFormat.CSV);
    }

    @Test
    void parse_unknownListsFormats() {
        assertThatThrownBy(() -> ImportFormat.parse("clinc150"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown import format 'clinc150'; use one of banking77, bfcl, csv, jsonl");
    }

    @Test
    void idPrefixOf_dropsDirectoryAndExtension() {
        assertThat(ImportFormat.idPrefixOf("../../datasets/banking77/train.csv")).isEqualTo("train");
        assertThat(ImportFormat.idPrefixOf("C:\\data\\test.v2.csv")).isEqualTo("test.v2");
        assertThat(ImportFormat.idPrefixOf("rows")).isEqualTo("rows");
        assertThat(ImportFormat.idPrefixOf(".hidden")).isEqualTo(".hidden");
    }
}
