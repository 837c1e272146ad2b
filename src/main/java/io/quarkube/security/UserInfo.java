package io.quarkube.security;

import java.util.List;
import java.util.Map;

/**
 * An authenticated identity, as kube-apiserver's user.Info: a name, the uid of the object behind it
 * (a service account's; empty for certificate users), the groups it belongs to, and extra
 * attributes (a service account token's pod and credential id).
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    /** Every authenticated request's user is in this group as well, as in kube-apiserver. */
    public static final String AUTHENTICATED = "system:authenticated";

    public UserInfo {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    public UserInfo(String name, List<String> groups) {
        this(name, "", groups, Map.of());
    }

    /** The groups with {@link #AUTHENTICATED}, as kube-apiserver reports them (in SelfSubjectReview, TokenReview). */
    public List<String> groupsWithAuthenticated() {
        if (groups.contains(AUTHENTICATED)) {
            return groups;
        }
        List<String> all = new java.util.ArrayList<>(groups);
        all.add(AUTHENTICATED);
        return List.copyOf(all);
    }
}
