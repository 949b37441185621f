package dev.tuneladder.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The embeddings of one embed-batch step, stored as {@code runs/{runId}/split/embeddings/{offset}.bin}, and the
 * reading of all batches of a run by the later steps.
 *
 * <p>Layout, big-endian as {@link DataOutputStream} writes it: the 4 ASCII bytes {@code TLEV}, the format
 * {@value #FORMAT} as an int, the dataset's hex SHA-256 and the embedding model id as modified UTF-8 strings, the
 * index of the first row, the row count and the vector length as ints, then count × length floats. A 1,024-float
 * vector takes 4 KiB, a quarter of its JSON text.
 *
 * @param datasetSha256 checksum of the dataset the rows came from
 * @param modelId the model that produced the vectors
 * @param firstRow index of the first vector's row among the dataset's valid rows
 * @param vectors one vector per row, in row order
 */
record EmbeddingBatchFile(String datasetSha256, String modelId, int firstRow, List<float[]> vectors) {

    static final int FORMAT = 1;

    private static final int MAGIC = ('T' << 24) | ('L' << 16) | ('E' << 8) | 'V';

    EmbeddingBatchFile {
        Objects.requireNonNull(datasetSha256, "datasetSha256");
        Objects.requireNonNull(modelId, "modelId");
        vectors = List.copyOf(vectors);
    }

    /** The vectors of all rows of a dataset, in row order, and the model that produced them. */
    record Embeddings(List<float[]> vectors, String modelId) {
    }

    byte[] encode() {
        int dimensions = vectors.isEmpty() ? 0 : vectors.get(0).length;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + vectors.size() * dimensions * Float.BYTES);
        try (DataOutputStream output = new DataOutputStream(bytes)) {
            output.writeInt(MAGIC);
            output.writeInt(FORMAT);
            output.writeUTF(datasetSha256);
            output.writeUTF(modelId);
            output.writeInt(firstRow);
            output.writeInt(vectors.size());
            output.writeInt(dimensions);
            for (float[] vector : vectors) {
                if (vector.length != dimensions) {
                    throw new IllegalArgumentException("vectors of one batch differ in length: " + vector.length
                            + " and " + dimensions);
                }
                for (float value : vector) {
                    output.writeFloat(value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("failed to encode an embeddings batch in memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes a batch written by {@link #encode()}.
     *
     * @throws IllegalArgumentException naming {@code location} when the bytes are not a batch of this format
     */
    static EmbeddingBatchFile decode(byte[] bytes, String location) {
        try (DataInputStream input = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (input.readInt() != MAGIC || input.readInt() != FORMAT) {
                throw new IllegalArgumentException(location + " is not an embeddings batch of format " + FORMAT
                        + "; run the split again so that embed-batch rewrites it");
            }
            String datasetSha256 = input.readUTF();
            String modelId = input.readUTF();
            int firstRow = input.readInt();
            int count = input.readInt();
            int dimensions = input.readInt();
            List<float[]> vectors = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                float[] vector = new float[dimensions];
                for (int d = 0; d < dimensions; d++) {
                    vector[d] = input.readFloat();
                }
                vectors.add(vector);
            }
            if (input.read() != -1) {
                throw new IllegalArgumentException(location + " has bytes after its " + count + " vectors; run the"
                        + " split again so that embed-batch rewrites it");
            }
            return new EmbeddingBatchFile(datasetSha256, modelId, firstRow, vectors);
        } catch (EOFException e) {
            throw new IllegalArgumentException(location + " ends before its last vector; run the split again so"
                    + " that embed-batch rewrites it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to decode " + location, e);
        }
    }

    /**
     * Reads the batches that the input's {@code embeddings} array lists (the embed-batch outputs
     * {@code {offset, count, embeddingsKey?}}) and checks that they cover every row of {@code dataset} exactly
     * once, come from this version of the dataset, and come from one model.
     */
    static Embeddings readAll(BlobStore store, TaskInput input, SplitDataset dataset) {
        JsonNode listed = input.value("embeddings");
        if (listed == null || !listed.isArray()) {
            throw input.invalid("embeddings", "must be the array of embed-batch outputs {offset, count,"
                    + " embeddingsKey}");
        }
        List<JsonNode> batches = new ArrayList<>();
        listed.forEach(batches::add);
        batches.sort(Comparator.comparingLong(batch -> batch.path("offset").asLong()));

        List<float[]> vectors = new ArrayList<>(dataset.rows().size());
        String modelId = null;
        for (JsonNode batch : batches) {
            if (batch.path("count").asInt() == 0) {
                continue;
            }
            JsonNode key = batch.get("embeddingsKey");
            if (key == null || !key.isTextual()) {
                throw input.invalid("embeddings", "lists a batch at offset " + batch.path("offset").asText()
                        + " with " + batch.path("count").asInt() + " rows and no embeddingsKey; pass the"
                        + " embed-batch outputs unchanged");
            }
            EmbeddingBatchFile file = read(store, input, key.asText());
            String location = store.location(key.asText());
            if (!file.datasetSha256().equals(dataset.sha256())) {
                throw input.invalid("embeddings", "includes " + location + ", which was computed from another"
                        + " version of " + store.location(dataset.key()) + "; the dataset changed during the run,"
                        + " so start the split again");
            }
            if (file.firstRow() != vectors.size()) {
                throw input.invalid("embeddings", "includes " + location + ", which starts at row "
                        + file.firstRow() + " where row " + vectors.size() + " was expected; pass every"
                        + " embed-batch output of this run once");
            }
            if (modelId != null && !modelId.equals(file.modelId())) {
                throw input.invalid("embeddings", "mixes the models " + modelId + " and " + file.modelId()
                        + "; embed all batches of a run with one model");
            }
            modelId = file.modelId();
            vectors.addAll(file.vectors());
        }
        if (vectors.size() != dataset.rows().size()) {
            throw input.invalid("embeddings", "covers " + vectors.size() + " of the " + dataset.rows().size()
                    + " rows of " + store.location(dataset.key()) + "; set the state machine's rowCount to at"
                    + " least the dataset's line count so that the batches reach the last row");
        }
        return new Embeddings(List.copyOf(vectors), modelId);
    }

    private static EmbeddingBatchFile read(BlobStore store, TaskInput input, String key) {
        try {
            return decode(store.readAllBytes(key), store.location(key));
        } catch (BlobNotFoundException e) {
            throw input.invalid("embeddings", "lists " + store.location(key) + ", which does not exist; pass"
                    + " only the embed-batch outputs of this run");
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskInput(input.path("embeddings"), e.getMessage(), e);
        }
    }
}
