package dev.tuneladder.local;

import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

/**
 * Build-time settings of the HNSW graph. They change only how new segments are written: an index built with other
 * values opens and searches normally.
 *
 * @param maxConnections neighbours kept per node and layer (HNSW's M), 1 to 512
 * @param beamWidth candidates examined while linking a new node (efConstruction), 1 to 3200
 */
public record HnswParameters(int maxConnections, int beamWidth) {

    /** Lucene's own defaults: M = 16, beam width = 100. */
    public static final HnswParameters DEFAULT = new HnswParameters(
            Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);

    public HnswParameters {
        if (maxConnections < 1 || maxConnections > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) {
            throw new IllegalArgumentException("maxConnections must be in [1, "
                    + Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN + "], got " + maxConnections);
        }
        if (beamWidth < 1 || beamWidth > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) {
            throw new IllegalArgumentException("beamWidth must be in [1, "
                    + Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH + "], got " + beamWidth);
        }
    }
}
