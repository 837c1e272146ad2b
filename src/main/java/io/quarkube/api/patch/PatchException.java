package io.quarkube.api.patch;

/**
 * A patch that cannot be applied. {@link #status()} is the HTTP status kube-apiserver answers for the
 * same failure: 422 when a well-formed patch does not apply to the object, 400 when the patch itself
 * is malformed, 415 for a patch format that is not served, 413 for a JSON patch with too many operations.
 */
public final class PatchException extends RuntimeException {

    public static final int UNPROCESSABLE_ENTITY = 422;
    public static final int BAD_REQUEST = 400;
    public static final int UNSUPPORTED_MEDIA_TYPE = 415;
    public static final int REQUEST_ENTITY_TOO_LARGE = 413;

    private final int status;

    /** A patch that does not apply to the object (422). */
    public PatchException(String message) {
        this(UNPROCESSABLE_ENTITY, message);
    }

    public PatchException(int status, String message) {
        super(message);
        this.status = status;
    }

    static PatchException badRequest(String message) {
        return new PatchException(BAD_REQUEST, message);
    }

    public int status() {
        return status;
    }
}
