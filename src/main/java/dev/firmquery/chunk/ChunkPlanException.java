package dev.firmquery.chunk;

/** The IDs cannot be cut into statements within the configured limits; the message says which limit to raise. */
public class ChunkPlanException extends Exception {
    public ChunkPlanException(String message) {
        super(message);
    }
}
