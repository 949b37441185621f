/**
 * Stratified train/eval splits and few-shot samples over precomputed embeddings: k-means per stratum, duplicate
 * groups kept on one side of the split, seeded draws, and a manifest that makes each run reproducible.
 */
package dev.tuneladder.core.sampling;
