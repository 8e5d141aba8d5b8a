package dev.firmquery.ids;

import java.io.IOException;

/**
 * Thrown from inside the {@link java.io.Reader} chain (where only {@link IOException} may pass) when the
 * input as a whole cannot be used: not UTF-8, binary... {@link IdLoader} turns it into an
 * {@link IdInputException} with the same, user-facing message.
 */
final class InputRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    InputRejectedException(String message) {
        super(message);
    }
}
