package io.quarkube.storage;

import java.util.List;

/** One page of a list: the objects, the revision it is consistent at, and where the next page starts. */
public record ListResult(List<StoredObject> items, long revision, String continueToken, Long remainingItemCount) {
}
