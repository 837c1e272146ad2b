package io.quarkube.registry;

/**
 * Options every write carries.
 *
 * @param dryRun          validate and answer as if stored, store nothing
 * @param fieldValidation "Strict", "Warn" or "Ignore": how unknown and duplicate fields are treated
 * @param fieldManager    the writer's name (accepted; managed fields are not tracked yet)
 */
public record WriteOptions(boolean dryRun, String fieldValidation, String fieldManager) {

    public static final WriteOptions DEFAULT = new WriteOptions(false, "Warn", "");
}
