package io.quarkube.api.patch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The order of a merged list, as strategic merge patch keeps it: the items the patch names come in the
 * patch's order (or its {@code $setElementOrder} list), and items only the server has are interleaved
 * where they stood in the live list.
 */
final class ElementOrder {

    /** Items of a merged list split by whether another list names them. */
    record Partition(List<JsonNode> named, List<JsonNode> others) {
    }

    private ElementOrder() {
    }

    /** Splits {@code items} by whether {@code by} holds an item with the same merge key (or the same value). */
    static Partition partition(List<JsonNode> items, List<JsonNode> by, String mergeKey) {
        List<JsonNode> named = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
        for (JsonNode item : items) {
            (indexOf(by, item, mergeKey) >= 0 ? named : others).add(item);
        }
        return new Partition(named, others);
    }

    /**
     * Sorts the patch items by {@code patchOrder} and the server-only items by {@code serverOrder}, then
     * inserts each server-only item before the first patch item that follows it in the live list.
     */
    static List<JsonNode> normalize(Partition partition, List<JsonNode> patchOrder, List<JsonNode> serverOrder, String mergeKey) {
        List<JsonNode> patchItems = sortedBy(partition.named(), patchOrder, mergeKey);
        List<JsonNode> serverOnly = sortedBy(partition.others(), serverOrder, mergeKey);
        List<JsonNode> result = new ArrayList<>(patchItems.size() + serverOnly.size());
        int i = 0;
        int j = 0;
        while (i < serverOnly.size() || j < patchItems.size()) {
            if (j >= patchItems.size()) {
                result.add(serverOnly.get(i++));
            } else if (i >= serverOnly.size()) {
                result.add(patchItems.get(j++));
            } else {
                int left = indexOf(serverOrder, serverOnly.get(i), mergeKey);
                int right = indexOf(serverOrder, patchItems.get(j), mergeKey);
                // Only when both stood in the live list does the live order decide; otherwise the patch item goes first.
                if (left >= 0 && right >= 0 && left < right) {
                    result.add(serverOnly.get(i++));
                } else {
                    result.add(patchItems.get(j++));
                }
            }
        }
        return result;
    }

    static int indexOf(List<JsonNode> list, JsonNode item, String mergeKey) {
        for (int k = 0; k < list.size(); k++) {
            if (sameItem(list.get(k), item, mergeKey)) {
                return k;
            }
        }
        return -1;
    }

    /** Items are the same when their merge keys are equal, or, without a merge key, when they are equal. */
    static boolean sameItem(JsonNode a, JsonNode b, String mergeKey) {
        if (mergeKey == null) {
            return JsonValues.same(a, b);
        }
        JsonNode keyA = a.get(mergeKey);
        return keyA != null && JsonValues.same(keyA, b.get(mergeKey));
    }

    /** A stable sort by position in {@code order}; items it does not name keep their order at the end. */
    private static List<JsonNode> sortedBy(List<JsonNode> items, List<JsonNode> order, String mergeKey) {
        List<JsonNode> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingInt(item -> {
            int index = indexOf(order, item, mergeKey);
            return index < 0 ? Integer.MAX_VALUE : index;
        }));
        return sorted;
    }
}
