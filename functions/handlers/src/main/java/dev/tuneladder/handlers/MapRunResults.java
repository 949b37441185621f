package dev.tuneladder.handlers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tuneladder.core.storage.BlobNotFoundException;
import dev.tuneladder.core.storage.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The child outputs of a Distributed Map run whose ResultWriter exported them to S3, read through the run store.
 *
 * <p>Shapes, from the Step Functions developer guide page "ResultWriter (Map)"
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html) and published examples of
 * exported runs:
 * <ul>
 *   <li>The Map state's output is {@code {MapRunArn, ResultWriterDetails: {Bucket, Key}}}, where {@code Key} is the
 *       full object key of the run's {@code manifest.json}, such as {@code evaluation-map-runs/{uuid}/manifest.json}.
 *   </li>
 *   <li>The manifest is {@code {DestinationBucket, MapRunArn, ResultFiles: {FAILED, PENDING, SUCCEEDED}}}, where each
 *       list contains {@code {Key, Size}} of the result files of the children with that status. The keys start at
 *       the bucket's root, like the manifest's.</li>
 *   <li>Without a {@code WriterConfig}, as in the evaluation state machine, a result file is a JSON array of child
 *       execution records such as {@code {ExecutionArn, Input, InputDetails, Output, Status, ...}}, where
 *       {@code Output} is the child's output as a JSON string. Only {@code Status} and {@code Output} are read
 *       here.</li>
 * </ul>
 * NOTE: the manifest's fields and the record's {@code Status} and string {@code Output} are confirmed only by
 * third-party examples of real runs, not by the guide. When Step Functions splits one status into several result
 * files is not confirmed either, so every listed file is read.
 *
 * <p>A child's output is what the item processor's last state outputs. In the evaluation state machine that is the
 * evaluate-batch Lambda invoke with {@code OutputPath: $.Payload}, so each {@code Output} is the evaluate-batch
 * output {@code {runId, partialKey, rows, rejected, ...}}.
 */
final class MapRunResults {

    /** The aggregate task's input field that carries the Map state's {@code ResultWriterDetails}. */
    static final String FIELD = "resultWriterDetails";

    /** The status of a child execution that finished, in the manifest's lists and in each record. */
    static final String SUCCEEDED = "SUCCEEDED";

    /** Reads one record from a parser inside the result file's array, where more tokens follow the record. */
    private static final ObjectReader RECORD_READER =
            StepTaskHandler.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The output of one succeeded child execution.
     *
     * @param source the record's location, such as {@code s3://bucket/evaluation-map-runs/u1/SUCCEEDED_0.json[3]}
     * @param output the parsed {@code Output}
     */
    record ChildOutput(String source, JsonNode output) {
    }

    private MapRunResults() {
    }

    /**
     * Reads the manifest that {@code details} ({@code {Bucket, Key}}) names and returns the outputs of all succeeded
     * children, in manifest and file order.
     *
     * @throws InvalidTaskInput when the manifest is outside the store, missing or malformed, when the run has
     *     FAILED or PENDING result files or a record whose status is not SUCCEEDED, or when an {@code Output} is not
     *     a JSON object
     */
    static List<ChildOutput> succeededOutputs(BlobStore store, TaskInput details) {
        String bucket = details.text("Bucket");
        String manifestKey = storeKey(store, bucket, details.text("Key"), details);
        JsonNode manifest = readManifest(store, manifestKey);
        String manifestLocation = store.location(manifestKey);

        JsonNode destination = manifest.get("DestinationBucket");
        if (destination != null && !bucket.equals(destination.asText())) {
            throw new InvalidTaskInput(FIELD, manifestLocation + " names DestinationBucket '" + destination.asText()
                    + "', not '" + bucket + "'; pass the ResultWriterDetails of the Map state that wrote it");
        }
        JsonNode files = manifest.get("ResultFiles");
        if (files == null || !files.isObject()) {
            throw new InvalidTaskInput(FIELD, manifestLocation + " has no 'ResultFiles' object, so it is not a"
                    + " Distributed Map manifest; pass the Map state's ResultWriterDetails as they are");
        }
        int failed = resultFiles(files, "FAILED", manifestLocation).size();
        int pending = resultFiles(files, "PENDING", manifestLocation).size();
        String mapRunArn = manifest.path("MapRunArn").asText("(no MapRunArn)");
        if (failed > 0 || pending > 0) {
            throw new InvalidTaskInput(FIELD, "map run " + mapRunArn + " is incomplete: " + manifestLocation
                    + " lists " + failed + " FAILED and " + pending + " PENDING result files, so some batches have"
                    + " no partial state; redrive the map run or start the evaluation again");
        }

        List<ChildOutput> outputs = new ArrayList<>();
        for (JsonNode file : resultFiles(files, SUCCEEDED, manifestLocation)) {
            JsonNode key = file.get("Key");
            if (key == null || !key.isTextual()) {
                throw new InvalidTaskInput(FIELD, manifestLocation + ": an entry of ResultFiles.SUCCEEDED has no"
                        + " 'Key' string; pass the manifest that Step Functions wrote");
            }
            String fileKey = storeKey(store, bucket, key.asText(), details);
            readRecords(store, fileKey, outputs);
        }
        return outputs;
    }

    /**
     * Returns the store key of {@code s3://bucket/key}. The store's name is {@code s3://bucket/prefix/}, so an object
     * is in the store exactly when its location starts with that name.
     */
    private static String storeKey(BlobStore store, String bucket, String key, TaskInput details) {
        String root = store.name();
        if (!root.startsWith("s3://" + bucket + "/")) {
            throw details.invalid("Bucket", "is '" + bucket + "', but aggregate reads the run store " + root
                    + "; point the Distributed Map's ResultWriter at the run bucket");
        }
        String location = "s3://" + bucket + "/" + key;
        if (!location.startsWith(root)) {
            throw details.invalid("Key", "'" + key + "' is outside the run store " + root + "; give the"
                    + " ResultWriter a prefix inside it");
        }
        return location.substring(root.length());
    }

    private static JsonNode readManifest(BlobStore store, String key) {
        try (InputStream input = store.open(key)) {
            JsonNode manifest = StepTaskHandler.MAPPER.readTree(input);
            if (manifest == null || !manifest.isObject()) {
                throw new InvalidTaskInput(FIELD, store.location(key) + " is not a JSON object; pass the Map"
                        + " state's ResultWriterDetails as they are");
            }
            return manifest;
        } catch (BlobNotFoundException e) {
            throw new InvalidTaskInput(FIELD, store.location(key) + " does not exist; pass the ResultWriterDetails"
                    + " of this run's Distributed Map state");
        } catch (JsonProcessingException e) {
            throw new InvalidTaskInput(FIELD, store.location(key) + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + "); pass the manifest that Step Functions wrote");
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + store.location(key), e);
        }
    }

    /** Returns the list of result files with {@code status}; an absent list is empty. */
    private static JsonNode resultFiles(JsonNode files, String status, String manifestLocation) {
        JsonNode list = files.get(status);
        if (list == null || list.isNull()) {
            return StepTaskHandler.MAPPER.createArrayNode();
        }
        if (!list.isArray()) {
            throw new InvalidTaskInput(FIELD, manifestLocation + ": ResultFiles." + status + " must be an array of"
                    + " {Key, Size}; pass the manifest that Step Functions wrote");
        }
        return list;
    }

    /**
     * Adds the output of every record of one result file. The file is parsed one record at a time, because each
     * record also carries the child's input, a whole batch of rows, and a file contains many records.
     */
    private static void readRecords(BlobStore store, String key, List<ChildOutput> outputs) {
        String location = store.location(key);
        try (InputStream input = store.open(key);
                JsonParser parser = StepTaskHandler.MAPPER.createParser(input)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new InvalidTaskInput(FIELD, location + " is not a JSON array of child execution records;"
                        + " the evaluation's ResultWriter must write JSON (no WriterConfig)");
            }
            int index = 0;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token != JsonToken.START_OBJECT) {
                    throw new InvalidTaskInput(FIELD, location + "[" + index + "] is not a child execution record"
                            + " object; pass the manifest that Step Functions wrote");
                }
                JsonNode record = RECORD_READER.readTree(parser);
                outputs.add(new ChildOutput(location + "[" + index + "]", childOutput(record, location, index)));
                index++;
            }
        } catch (BlobNotFoundException e) {
            throw new InvalidTaskInput(FIELD, location + " is listed in the map run's manifest but does not"
                    + " exist; start the evaluation again");
        } catch (JsonProcessingException e) {
            throw new InvalidTaskInput(FIELD, location + " is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + "); pass the manifest that Step Functions wrote");
        } catch (IOException e) {
            throw new UncheckedIOException("failed to read " + location, e);
        }
    }

    private static JsonNode childOutput(JsonNode record, String location, int index) {
        String source = location + "[" + index + "]";
        String status = record.path("Status").asText("");
        if (!SUCCEEDED.equals(status)) {
            throw new InvalidTaskInput(FIELD, source + " is a child execution with Status '" + status + "', not "
                    + SUCCEEDED + ", so its batch has no partial state; redrive the map run or start the"
                    + " evaluation again");
        }
        JsonNode text = record.get("Output");
        if (text == null || !text.isTextual()) {
            throw new InvalidTaskInput(FIELD, source + " has no 'Output' string; pass the manifest that Step"
                    + " Functions wrote");
        }
        JsonNode output;
        try {
            output = StepTaskHandler.MAPPER.readTree(text.asText());
        } catch (JsonProcessingException e) {
            throw new InvalidTaskInput(FIELD, source + ".Output is not valid JSON (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "); the child"
                    + " should output the evaluate-batch result {partialKey, ...}");
        }
        if (output == null || !output.isObject()) {
            throw new InvalidTaskInput(FIELD, source + ".Output is not a JSON object; the child should output the"
                    + " evaluate-batch result {partialKey, ...}");
        }
        return output;
    }
}
