package io.quarkube.security;

import java.util.List;

/**
 * An authenticated identity, as kube-apiserver's user.Info: a name and the groups it belongs to.
 */
public record UserInfo(String name, List<String> groups) {

    public UserInfo {
        groups = List.copyOf(groups);
    }
}
