package io.tributary.transfer;

/** A transfer that cannot start or did not finish; the message says why, for an operator. */
public class TransferException extends RuntimeException {

    public TransferException(String message) {
        super(message);
    }

    public TransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
